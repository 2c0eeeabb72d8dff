package org.mlsbridge.interop;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.mlsbridge.interop.proto.NameRequest;
import org.mlsbridge.interop.proto.SupportedCiphersuitesRequest;
import org.mlsbridge.interop.rpc.MlsClientRpcs;
import org.mlsbridge.interop.rpc.Rpc;

/**
 * The runner's side of one MLSClient: a plaintext gRPC channel to host:port, as the working
 * group's runner dials its clients, with the client's name and cipher suites asked up front.
 */
final class HarnessClient implements AutoCloseable {
    /** The published runner's per-call timeout. */
    private static final long TIMEOUT_SECONDS = 120;

    private final ManagedChannel channel;
    private final String name;
    private final Set<Integer> suites;

    HarnessClient(String host, int port) {
        this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(InteropServer.MAX_MESSAGE_BYTES).build();
        this.name = call(MlsClientRpcs.NAME, NameRequest.getDefaultInstance()).getName();
        this.suites = new TreeSet<>(call(MlsClientRpcs.SUPPORTED_CIPHERSUITES,
                SupportedCiphersuitesRequest.getDefaultInstance()).getCiphersuitesList());
    }

    <Q extends Message, R extends Message> R call(Rpc<Q, R> rpc, Q request) {
        return ClientCalls.blockingUnaryCall(channel, rpc.descriptor(),
                CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS), request);
    }

    String name() {
        return name;
    }

    Set<Integer> suites() {
        return suites;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
