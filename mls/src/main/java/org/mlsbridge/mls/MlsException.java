package org.mlsbridge.mls;

/**
 * Anything a peer can cause: malformed encodings, failed validation, failed cryptographic checks.
 * Programming errors (misuse of the API) are {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead, so callers can tell hostile input from their own bugs.
 */
public class MlsException extends Exception {
    public MlsException(String message) {
        super(message);
    }

    public MlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
