package org.mlsbridge.mls;

/** A well-formed message that breaks a rule of RFC 9420; the message names the section. */
public class ValidationException extends MlsException {
    public ValidationException(String message) {
        super(message);
    }

    public ValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
