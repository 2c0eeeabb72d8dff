package org.mlsbridge.app.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.app.cli.OutputFiles;
import org.mlsbridge.app.cli.Progress;
import org.mlsbridge.servers.LocalProsody;
import org.mlsbridge.servers.LocalServerException;
import org.mlsbridge.servers.LocalServers;
import org.mlsbridge.servers.LocalSynapse;
import org.mlsbridge.servers.ServerInstaller;
import org.mlsbridge.servers.ServersUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge load}: the load run against real servers (see docs/performance.md, "Load test"). */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Runs the load test against an XMPP server and a Matrix homeserver: fresh accounts, half",
                "on each network, in one MLS group across an XMPP room and a Matrix room joined by the",
                "MLS bridge (run in this process), and the same traffic as plain room messages through a",
                "plain relay, the two taking turns in blocks of messages. Prints throughput and latency",
                "(p50, p99) of both and MLS against plain as ratios. Exit 1 if a message was lost,",
                "duplicated, misattributed or undecryptable."})
public final class LoadCommand implements Callable<Integer> {
    private final CommandIo io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "the load configuration (YAML): the servers, how "
            + "the run creates accounts there, the traffic")
    Path config;

    @Option(names = "--local-servers", description = {"instead of --config: start a private Prosody and Synapse on "
            + "127.0.0.1 for the run (installed by scripts/servers/ when missing, as root) and stop them after"})
    boolean localServers;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON")
    Path json;

    @Option(names = "--trace", paramLabel = "FILE", description = {"also write one CSV row per measured message: "
            + "when it was sent, and when it passed each stage of its way (docs/performance.md, \"Tracing a run\")"})
    Path trace;

    @Option(names = "--messages", paramLabel = "N", description = "override load.messages")
    Integer messages;

    @Option(names = "--members-per-network", paramLabel = "N", description = "override load.members-per-network")
    Integer members;

    @Option(names = "--rate", paramLabel = "R", description = "override load.rate (messages per second, all senders)")
    Double rate;

    @Option(names = "--drain-timeout-seconds", paramLabel = "S", description = "override "
            + "load.drain-timeout-seconds (how long after the last send unread messages count as lost)")
    Integer drainSeconds;

    @Option(names = "--block-messages", paramLabel = "N", description = {"override load.block-messages (each "
            + "phase sends its messages in blocks of N, taking turns with the other phase)"})
    Integer blockMessages;

    @Option(names = "--seed", paramLabel = "N", description = {"the seed of the order in which the phases take "
            + "turns (default: a fresh one; the report prints it)"})
    Long seed;

    @Option(names = "--same-priority", description = {"run the members, relays and bot at the servers' CPU "
            + "priority (by default this process yields the CPU to the servers: docs/performance.md, "
            + "\"What one run does\")"})
    boolean samePriority;

    @Option(names = "--progress", negatable = true, description = {"show progress on stderr "
            + "(default: only when stderr is a terminal)"})
    Boolean progress;

    public LoadCommand(CommandIo io) {
        this.io = io;
    }

    /** The configuration with the flags applied; every problem is a usage error, before any work. */
    LoadConfig validate() {
        if ((config == null) == !localServers) {
            throw usage("give one of --config FILE (any servers) and --local-servers (a private Prosody and Synapse)");
        }
        LoadConfig c;
        if (localServers) {
            c = LoadConfig.defaults();
        } else {
            if (!Files.isRegularFile(config)) {
                throw usage("--config: no such file: " + config);
            }
            try {
                c = LoadConfig.read(config);
            } catch (LoadConfig.Invalid e) {
                throw usage("--config: " + e.getMessage());
            }
        }
        LoadSettings s = c.settings();
        try {
            c = c.with(new LoadSettings(members != null ? members : s.membersPerNetwork(),
                    messages != null ? messages : s.messages(), rate != null ? rate : s.rate(), s.messageBytes(),
                    drainSeconds != null ? java.time.Duration.ofSeconds(drainSeconds) : s.drainTimeout(),
                    blockMessages != null ? blockMessages : s.blockMessages()));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        checkWritable("--json", json);
        checkWritable("--trace", trace);
        return c;
    }

    private void checkWritable(String option, Path file) {
        OutputFiles.optionProblem(option, file).ifPresent(problem -> {
            throw usage(problem);
        });
    }

    private CommandLine.ParameterException usage(String message) {
        CommandLine cl = spec == null ? new CommandLine(this) : spec.commandLine();
        return new CommandLine.ParameterException(cl, message);
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig c = validate();
        quietLibraries();
        Progress shown = io.progress(progress);
        Path dir = Files.createTempDirectory("mlsbridge-load-");
        LocalServers servers = null;
        if (localServers) {
            shown.status("starting a private Prosody and Synapse");
            try {
                ServerInstaller.ensureInstalled();
                servers = LocalServers.start();
            } catch (ServersUnavailableException | LocalServerException e) {
                shown.clear();
                deleteTree(dir);
                throw new IllegalStateException("cannot start the local servers: " + e.getMessage(), e);
            }
        }
        try (LocalServers running = servers; LoadNetwork xmpp = running != null ? localXmpp(running)
                : c.xmpp().network(); LoadNetwork matrix = running != null ? localMatrix(running)
                        : c.matrix().network()) {
            CpuMeter cpu = CpuMeter.of(running == null ? Map.of() : Map.of(
                    "Prosody", running.prosody().process(), "Synapse", running.synapse().process()));
            LoadRunner runner = new LoadRunner(xmpp, matrix, c.settings(), dir, c.formationTimeout(),
                    new Throttled(shown), cpu, seed != null ? new TurnOrder(seed) : TurnOrder.random());
            // after the servers started: a process started from here would inherit the priority
            String priority = samePriority ? "at the servers' priority (--same-priority)"
                    : ClientPriority.yieldToServers();
            LoadReport report = runner.run().ranAt(priority);
            shown.clear();
            report.print(io.out());
            if (json != null) {
                report.writeJson(json);
                io.out().println("JSON written to " + json);
            }
            if (trace != null) {
                TraceFile.write(trace, report);
                io.out().println("trace written to " + trace);
            }
            return report.clean() ? 0 : 1;
        } finally {
            shown.clear();
            deleteTree(dir);
        }
    }

    /** Held so the logging configuration is not collected with the logger. */
    private static final java.util.logging.Logger SMACK = java.util.logging.Logger.getLogger("org.jivesoftware");

    /**
     * Twenty clients' routine notices would bury the report: only warnings of ours, and Smack's
     * (java.util.logging) only when severe, unless MLSBRIDGE_DEBUG is set.
     */
    private static void quietLibraries() {
        if (!"1".equals(System.getenv(org.mlsbridge.app.cli.ErrorHandlers.DEBUG_ENV))) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            SMACK.setLevel(java.util.logging.Level.SEVERE);
        }
    }

    private static final String LOCAL_PASSWORD = "load-run-password";

    private static LoadNetwork localXmpp(LocalServers s) {
        return new XmppLoadNetwork("127.0.0.1", s.prosody().port(), LocalProsody.DOMAIN, LocalProsody.MUC, false,
                LOCAL_PASSWORD, (user, password) -> s.prosody().register(user, password));
    }

    private static LoadNetwork localMatrix(LocalServers s) {
        return new MatrixLoadNetwork(s.synapse().url(), LocalSynapse.SERVER_NAME, LOCAL_PASSWORD,
                (user, password) -> s.synapse().register(user, password));
    }

    /** Progress at most every second, and whenever the step (the text before the figures) changes. */
    private static final class Throttled implements PhaseDriver.Progress {
        private final Progress progress;
        private long shownAt;
        private String step = "";

        Throttled(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void show(String status) {
            String s = status.replaceAll("[0-9/ ]+(reads|members ready.*)$", "");
            long now = System.nanoTime();
            if (!s.equals(step) || now - shownAt > 1_000_000_000L) {
                step = s;
                shownAt = now;
                progress.status(status);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
