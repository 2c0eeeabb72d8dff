package org.mlsbridge.matrix;

import java.util.Optional;
import org.mlsbridge.bridge.transport.TransportException;

/** The homeserver answered with an error (after retries where retrying made sense). */
public final class MatrixHttpException extends TransportException {
    private final int status;
    private final String errcode;

    MatrixHttpException(String message, int status, String errcode, boolean retryable) {
        super(message, retryable);
        this.status = status;
        this.errcode = errcode;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The Matrix error code ({@code M_FORBIDDEN}, ...), if the body had one. */
    public Optional<String> errcode() {
        return Optional.ofNullable(errcode);
    }
}
