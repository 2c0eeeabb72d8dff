package org.mlsbridge.mls;

/**
 * A well-formed message that breaks a rule of RFC 9420 (the message names the section) or a
 * local policy; {@link #reason()} says which kind.
 */
public class ValidationException extends MlsException {
    /** A broken RFC rule of no more specific {@link FailureReason}: {@link FailureReason#PROTOCOL}. */
    public ValidationException(String message) {
        super(FailureReason.PROTOCOL, message);
    }

    public ValidationException(String message, Throwable cause) {
        super(FailureReason.PROTOCOL, message, cause);
    }

    public ValidationException(FailureReason reason, String message) {
        super(reason, message);
    }

    public ValidationException(FailureReason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }
}
