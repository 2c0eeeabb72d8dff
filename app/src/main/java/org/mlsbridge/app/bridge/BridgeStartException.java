package org.mlsbridge.app.bridge;

/** The bridge cannot start for a reason the operator must fix; the message is one line. */
public final class BridgeStartException extends Exception {
    public BridgeStartException(String message) {
        super(message);
    }
}
