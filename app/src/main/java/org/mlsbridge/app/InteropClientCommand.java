package org.mlsbridge.app;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.interop.InteropServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge interop-client --port N}: the MLS working group's interop client (gRPC MLSClient). */
@Command(name = "interop-client", mixinStandardHelpOptions = true,
        description = {"Serves the MLSClient gRPC interface of the MLS working group's interop harness",
                "(mlswg/mls-implementations) on 127.0.0.1, for its test runner to drive.",
                "Runs until interrupted."})
final class InteropClientCommand implements Callable<Integer> {
    private final CommandIo io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", required = true, paramLabel = "N",
            description = "TCP port on 127.0.0.1 (0 picks a free one)")
    int port;

    InteropClientCommand(CommandIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        InteropServer server = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "interop-client-shutdown"));
        server.awaitTermination();
        return 0;
    }

    InteropServer start() throws IOException {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, not " + port);
        }
        InteropServer server = InteropServer.start(port);
        io.out().println("interop-client: MLSClient listening on 127.0.0.1:" + server.port());
        io.out().flush();
        return server;
    }
}
