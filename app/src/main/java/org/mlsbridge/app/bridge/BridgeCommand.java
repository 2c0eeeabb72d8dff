package org.mlsbridge.app.bridge;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mlsbridge.app.Main;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.config.ConfigException;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.config.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlsbridge bridge --config FILE}: runs the bridge of the configuration against its
 * servers until SIGTERM or Ctrl-C, then exits 0. A bad configuration is one line per problem
 * and exit 2; a start that fails (sign-in, a room, the database) one line and exit 1.
 */
@Command(name = "bridge", mixinStandardHelpOptions = true,
        description = {"Bridges each configured XMPP room and Matrix room into one MLS group: orders the group's "
                + "handshake messages for both rooms, relays ciphertext and carries Welcomes across; its bot turns "
                + "room membership into MLS membership as an external sender. The bridge holds no group secret.",
                "Runs until SIGTERM or Ctrl-C (then finishes the current event and exits 0); a restart resumes "
                        + "where it stopped. Metrics and health on the configured loopback address."})
public final class BridgeCommand implements Callable<Integer> {
    private final CommandIo io;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "the YAML configuration file: sections bridge, xmpp and matrix (docs/configuration.md)")
    Path file;

    public BridgeCommand(CommandIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = io.out();
        Consumer<String> say = line -> {
            synchronized (out) {
                out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " bridge: " + line);
                out.flush();
            }
        };
        MlsbridgeConfig.ForBridge config;
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.load(file);
            loaded.notes().forEach(n -> io.err().println("note: " + n));
            config = loaded.config().forBridge();
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                io.err().println(e.source() + ": " + p.describe());
            }
            return Main.USAGE;
        }
        Bridge bridge;
        try {
            bridge = Bridge.open(config, say);
        } catch (BridgeStartException e) {
            io.err().println("mlsbridge bridge: " + e.getMessage());
            return 1;
        }
        try (bridge) {
            StopSignals.install(bridge::requestStop, say);
            bridge.run();
        }
        return 0;
    }
}
