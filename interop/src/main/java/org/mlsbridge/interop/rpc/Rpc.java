package org.mlsbridge.interop.rpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.util.Objects;

/**
 * One unary method of the MLSClient service: its name and the prototypes of its request and
 * response messages, from which the gRPC method descriptor (with protobuf marshallers) is made.
 */
public record Rpc<Q extends Message, R extends Message>(String name, Q request, R response) {
    public Rpc {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
    }

    public MethodDescriptor<Q, R> descriptor() {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(MlsClientRpcs.SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }
}
