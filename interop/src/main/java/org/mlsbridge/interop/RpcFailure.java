package org.mlsbridge.interop;

import io.grpc.Status;
import java.util.Objects;

/**
 * A request this client refuses, with the gRPC status code the test runner sees. Thrown by the
 * operations for what the MLS library cannot judge itself: unknown ids, missing fields, a
 * message of the wrong kind where another was expected.
 */
public final class RpcFailure extends Exception {
    private final Status.Code code;

    public RpcFailure(Status.Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public static RpcFailure notFound(String message) {
        return new RpcFailure(Status.Code.NOT_FOUND, message);
    }

    public static RpcFailure invalid(String message) {
        return new RpcFailure(Status.Code.INVALID_ARGUMENT, message);
    }

    public static RpcFailure precondition(String message) {
        return new RpcFailure(Status.Code.FAILED_PRECONDITION, message);
    }

    public Status.Code code() {
        return code;
    }
}
