package org.mlsbridge.app.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.app.cli.OutputFiles;
import org.mlsbridge.app.cli.Progress;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.GroupConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge bench}: group operations at several group sizes (see docs/performance.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures MLS group operations at several group sizes.",
                "For a sparse and a full tree: build, add + Welcome, processing, join, update and remove",
                "commits, application messages, state size. Prints a table (median, min-max); --json writes",
                "the figures as JSON, --plot draws them against group size (log-log) beside the reference",
                "figures of docs/performance.md. Progress goes to stderr when it is a terminal (or with",
                "--progress)."})
public final class BenchCommand implements Callable<Integer> {
    private final CommandIo io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--sizes", split = ",", paramLabel = "N,...",
            description = "group sizes, each at least 2 (default: ${DEFAULT-VALUE})",
            defaultValue = "2,16,128,1024,10000,50000")
    List<Integer> sizes;

    @Option(names = "--suite", paramLabel = "ID", description = "cipher suite id, 1 to 7 (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    int suite;

    @Option(names = "--reps", paramLabel = "R", description = "timed repetitions per operation, at least 1 (default: "
            + "${DEFAULT-VALUE}; at most " + Sampler.SLOW_REPS + " for operations slower than 4 s)",
            defaultValue = "5")
    int reps;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = {"also draw the results as a PNG: cost "
            + "against group size per operation, log-log, with the reference figures of docs/performance.md"})
    Path plot;

    @Option(names = "--from-json", paramLabel = "FILE", description = {"instead of measuring, read the results "
            + "of an earlier --json run: print its table, and draw it with --plot"})
    Path fromJson;

    @Option(names = "--no-warm-up", description = "skip the warm-up round at N=16 (quick checks only)")
    boolean noWarmUp;

    @Option(names = "--profile-op", paramLabel = "KEY", description = {"instead of measuring, repeat one "
            + "operation at the first size for --profile-seconds, for a profiler (JFR) to sample; one of "
            + "${COMPLETION-CANDIDATES}"}, completionCandidates = ProfileOps.class)
    String profileOp;

    @Option(names = "--profile-seconds", paramLabel = "S", defaultValue = "30",
            description = "how long --profile-op repeats, more than 0 (default: ${DEFAULT-VALUE})")
    double profileSeconds;

    @Option(names = "--progress", negatable = true, description = {"show progress on stderr "
            + "(default: only when stderr is a terminal)"})
    Boolean progress;

    public BenchCommand(CommandIo io) {
        this.io = io;
    }

    /** The operations --profile-op accepts: every timed per-shape key, full and sparse. */
    static final class ProfileOps extends ArrayList<String> {
        ProfileOps() {
            super(profileKeys());
        }
    }

    static List<String> profileKeys() {
        List<String> keys = new ArrayList<>(BenchRunner.SHAPE_KEYS);
        BenchRunner.SHAPE_KEYS.forEach(k -> keys.add("sparse_" + k));
        return keys;
    }

    @Override
    public Integer call() throws Exception {
        Progress shown = io.progress(progress);
        try {
            return run(io.out(), shown);
        } finally {
            // An error message must not continue the status line.
            shown.clear();
        }
    }

    /** Every flag value checked before any work, so that a mistake costs no run. */
    private CipherSuite validate() {
        CipherSuite cs = CipherSuite.fromId(suite).orElseThrow(() -> usage("--suite: no cipher suite " + suite
                + "; the suites are 1 to 7 (RFC 9420 §17.1)"));
        if (sizes == null || sizes.isEmpty()) {
            throw usage("--sizes: give at least one group size");
        }
        for (int n : sizes) {
            if (n < 2) {
                throw usage("--sizes: a group has at least 2 members, got " + n);
            }
        }
        if (reps < 1) {
            throw usage("--reps: at least 1 timed repetition, got " + reps);
        }
        if (profileOp != null && !profileKeys().contains(profileOp)) {
            throw usage("--profile-op: no operation '" + profileOp + "'; one of " + String.join(", ", profileKeys()));
        }
        if (!(profileSeconds > 0) || Double.isInfinite(profileSeconds)) {
            throw usage("--profile-seconds: more than 0 seconds, got " + profileSeconds);
        }
        if (fromJson != null && profileOp != null) {
            throw usage("--from-json and --profile-op: give one of them (one reads results, the other measures)");
        }
        checkWritable("--json", json);
        checkWritable("--plot", plot);
        return cs;
    }

    private void checkWritable(String option, Path file) {
        OutputFiles.optionProblem(option, file).ifPresent(problem -> {
            throw usage(problem);
        });
    }

    private CommandLine.ParameterException usage(String message) {
        // Without picocli around (tests call run() directly) there is no command line to name.
        CommandLine cl = spec == null ? new CommandLine(this) : spec.commandLine();
        return new CommandLine.ParameterException(cl, message);
    }

    private int profile(CipherSuite cs, GroupConfig config, PrintStream out, Progress log) throws Exception {
        boolean sparse = profileOp.startsWith("sparse_");
        String key = sparse ? profileOp.substring("sparse_".length()) : profileOp;
        BenchRunner runner = new BenchRunner(config, cs, new GroupSender(config), 1, log);
        int runs = runner.loop(sizes.get(0), sparse ? GroupFixture.Shape.SPARSE : GroupFixture.Shape.FULL, key,
                profileSeconds);
        log.clear();
        out.printf("%s at N=%d: %d runs in %.0f s%n", profileOp, sizes.get(0), runs, profileSeconds);
        return 0;
    }

    int run(PrintStream out, Progress log) throws Exception {
        CipherSuite cs = validate();
        if (fromJson != null) {
            BenchReport earlier;
            try {
                earlier = BenchReportReader.read(fromJson);
            } catch (BenchReportReader.NotAReport e) {
                throw usage("--from-json: " + e.getMessage());
            }
            earlier.printTable(out);
            return write(earlier, out);
        }
        GroupConfig config = GroupConfig.DEFAULT;
        if (profileOp != null) {
            return profile(cs, config, out, log);
        }
        GroupSender sender = new GroupSender(config);
        long t0 = System.nanoTime();
        if (!noWarmUp) {
            new BenchRunner(config, cs, sender, 2, log.prefixed("bench warm-up, ")).run(16);
        }
        String machineAtStart = BenchReport.describeMachine();
        BenchRunner runner;
        Map<Integer, Map<String, Object>> results = new LinkedHashMap<>();
        for (int i = 0; i < sizes.size(); i++) {
            int n = sizes.get(i);
            runner = new BenchRunner(config, cs, sender, reps,
                    log.prefixed(String.format(Locale.ROOT, "bench size %d/%d, ", i + 1, sizes.size())));
            results.put(n, runner.run(n));
        }
        log.clear();
        BenchReport report = new BenchReport(machineAtStart + " (at the start; "
                + BenchReport.describeMachine().replaceAll(".*, (load average [0-9.]+)$", "$1") + " at the end)",
                cs.id(), results);
        report.printTable(out);
        out.printf("total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return write(report, out);
    }

    private int write(BenchReport report, PrintStream out) throws java.io.IOException {
        if (json != null) {
            report.writeJson(json);
            out.println("JSON written to " + json);
        }
        if (plot != null) {
            new BenchPlot(report, ReferenceFigures.CPP_STACK).writePng(plot);
            out.println("plot written to " + plot);
        }
        return 0;
    }
}
