package org.mlsbridge.bridge.transport;

/**
 * A transport operation failed. {@link #retryable()} failures (connection lost, timeout, rate
 * limit) may be retried with the same arguments, and for sends the same client id, without
 * risk of duplicates; others (not a member, unknown user, refused) will fail again.
 */
public class TransportException extends Exception {
    private final boolean retryable;

    public TransportException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public TransportException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
