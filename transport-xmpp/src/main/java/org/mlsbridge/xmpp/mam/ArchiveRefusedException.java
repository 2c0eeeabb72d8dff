package org.mlsbridge.xmpp.mam;

import org.mlsbridge.bridge.transport.TransportException;

/** The archive refuses us (forbidden): in a MUC, we are no longer a member. Not retryable. */
public final class ArchiveRefusedException extends TransportException {
    public ArchiveRefusedException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
