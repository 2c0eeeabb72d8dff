package org.mlsbridge.servers;

/** A local server could not be installed, started or used; the message says why (with the end of its log). */
public final class LocalServerException extends Exception {
    private static final long serialVersionUID = 1L;

    public LocalServerException(String message) {
        super(message);
    }

    public LocalServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
