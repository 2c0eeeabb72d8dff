package org.mlsbridge.servers;

/** The local servers cannot be installed or run on this machine; the message says what to install. */
public final class ServersUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public ServersUnavailableException(String message) {
        super(message);
    }
}
