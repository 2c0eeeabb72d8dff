package org.mlsbridge.mls;

import java.util.Objects;

/**
 * Anything a peer can cause: malformed encodings, failed validation, failed cryptographic checks.
 * Programming errors (misuse of the API) are {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead, so callers can tell hostile input from their own bugs.
 * {@link #reason()} classifies the failure for programs; the message is for people.
 */
public class MlsException extends Exception {
    private final FailureReason reason;

    public MlsException(FailureReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public MlsException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** An exception of reason {@link FailureReason#PROTOCOL}. */
    public MlsException(String message) {
        this(FailureReason.PROTOCOL, message);
    }

    public MlsException(String message, Throwable cause) {
        this(FailureReason.PROTOCOL, message, cause);
    }

    /** What kind of failure this is, for counting and routing without parsing the message. */
    public FailureReason reason() {
        return reason;
    }
}
