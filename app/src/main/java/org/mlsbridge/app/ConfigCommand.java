package org.mlsbridge.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.config.ConfigException;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.config.ExampleConfig;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.config.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge config}: the configuration file (docs/configuration.md). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Checks a configuration file, or prints the commented example to start one from.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Example.class})
final class ConfigCommand implements Callable<Integer> {
    private final CommandIo io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ConfigCommand(CommandIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(io.err());
        return Main.USAGE;
    }

    /**
     * {@code config check}: loads the file as the bridge and the client will (environment
     * overrides, secret files) and reports every problem at once, or a summary without secrets.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validates a configuration file with the environment's overrides and its secret files.",
                    "Prints every problem (key, what is wrong, the fix) and exits 2, or a summary and exits 0."})
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        ConfigCommand parent;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration file")
        Path file;

        @Override
        public Integer call() {
            CommandIo io = parent.io;
            ConfigLoader.Loaded loaded;
            try {
                loaded = ConfigLoader.load(file);
            } catch (ConfigException e) {
                io.err().println(e.source() + ": " + e.problems().size()
                        + (e.problems().size() == 1 ? " problem" : " problems"));
                for (Problem p : e.problems()) {
                    io.err().println("  " + p.describe());
                }
                return Main.USAGE;
            }
            MlsbridgeConfig c = loaded.config();
            io.out().println(file + ": configuration is valid");
            c.bridge().ifPresent(b -> io.out().println("  bridge: database " + b.database() + ", bot mode "
                    + b.botMode().yaml() + ", metrics on " + b.metricsListen() + ", " + b.rooms().size()
                    + " room pair(s): " + b.rooms().stream().map(r -> r.xmppRoom() + " <-> " + r.matrixRoom())
                            .collect(Collectors.joining(", "))));
            c.xmpp().ifPresent(x -> io.out().println("  xmpp: " + x.uri() + " via " + x.host() + ":" + x.port()
                    + ", password from " + x.passwordFile() + ", stanzas up to " + x.maxStanzaBytes() + " bytes"));
            c.matrix().ifPresent(m -> io.out().println("  matrix: " + m.uri() + " on " + m.homeserver() + ", device "
                    + m.deviceId() + ", password from " + m.passwordFile()));
            c.client().ifPresent(cl -> io.out().println("  client: " + cl.network().yaml() + ", room " + cl.room()));
            for (String note : loaded.notes()) {
                io.out().println("  note: " + note);
            }
            return 0;
        }
    }

    /** {@code config example}: the commented example, to redirect into a file and edit. */
    @Command(name = "example", mixinStandardHelpOptions = true,
            description = "Prints the commented example configuration (config/examples/mlsbridge.example.yaml).")
    static final class Example implements Callable<Integer> {
        @CommandLine.ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            parent.io.out().print(ExampleConfig.text());
            return 0;
        }
    }
}
