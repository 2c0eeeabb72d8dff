package org.mlsbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.interop.InteropServer;
import org.mlsbridge.interop.proto.NameRequest;
import org.mlsbridge.interop.proto.SupportedCiphersuitesRequest;
import org.mlsbridge.interop.rpc.MlsClientRpcs;
import picocli.CommandLine;

class InteropClientCommandTest {
    @Test
    void servesTheMlsClientOnLoopback() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        InteropClientCommand command = new InteropClientCommand(new CommandIo(stream, stream, false));
        new CommandLine(command).parseArgs("--port", "0");
        try (InteropServer server = command.start()) {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("MLSClient listening on 127.0.0.1:" + server.port());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
                assertThat(ClientCalls.blockingUnaryCall(channel, MlsClientRpcs.NAME.descriptor(), options,
                        NameRequest.getDefaultInstance()).getName()).isEqualTo("mlsbridge");
                assertThat(ClientCalls.blockingUnaryCall(channel, MlsClientRpcs.SUPPORTED_CIPHERSUITES.descriptor(),
                        options, SupportedCiphersuitesRequest.getDefaultInstance()).getCiphersuitesList())
                        .containsExactly(1, 2, 3, 4, 5, 6, 7);
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void badOrMissingPortIsAUsageError() {
        FirstRunTest.run("interop-client", "--port", "70000").isUsageErrorNaming("--port");
        FirstRunTest.run("interop-client").isUsageErrorNaming("--port");
    }
}
