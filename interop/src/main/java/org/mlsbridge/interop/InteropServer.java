package org.mlsbridge.interop;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The interop client as a gRPC server on the loopback interface, for the working group's test
 * runner (or our own) to drive. Port 0 picks a free port; {@link #port()} tells which.
 */
public final class InteropServer implements AutoCloseable {
    /** Welcomes and commits of large groups exceed gRPC's default 4 MiB message limit. */
    static final int MAX_MESSAGE_BYTES = 64 << 20;

    private final Server server;

    private InteropServer(Server server) {
        this.server = server;
    }

    public static InteropServer start(int port) throws IOException {
        MlsClientService service = new MlsClientService();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(service.definition())
                .build()
                .start();
        return new InteropServer(server);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
