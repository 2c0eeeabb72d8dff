package org.mlsbridge.app.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.GroupConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge bench}: the performance figures of issue 7 (see docs/performance.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures group operations at several group sizes, for a sparse and a full tree:",
                "build, add + Welcome, processing, join, update and remove commits, application messages,",
                "state size. Prints a table (median, min-max); --json writes the figures as JSON.",
                "Progress goes to stderr."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", paramLabel = "N,...",
            description = "group sizes (default: ${DEFAULT-VALUE})", defaultValue = "2,16,128,1024,10000,50000")
    List<Integer> sizes;

    @Option(names = "--suite", paramLabel = "ID", description = "cipher suite id (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    int suite;

    @Option(names = "--reps", paramLabel = "R", description = "timed repetitions per operation (default: "
            + "${DEFAULT-VALUE}; at most " + Sampler.SLOW_REPS + " for operations slower than 4 s)",
            defaultValue = "5")
    int reps;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;

    @Option(names = "--no-warm-up", description = "skip the warm-up round at N=16 (quick checks only)")
    boolean noWarmUp;

    @Option(names = "--profile-op", paramLabel = "KEY", description = {"instead of measuring, repeat one "
            + "operation (a JSON key, e.g. update_process_ms or sparse_join_ms) at the first size for "
            + "--profile-seconds, for a profiler (JFR) to sample"})
    String profileOp;

    @Option(names = "--profile-seconds", paramLabel = "S", defaultValue = "30",
            description = "how long --profile-op repeats (default: ${DEFAULT-VALUE})")
    double profileSeconds;

    @Override
    public Integer call() throws Exception {
        return run(System.out, System.err);
    }

    private int profile(CipherSuite cs, GroupConfig config, PrintStream out, PrintStream log) throws Exception {
        boolean sparse = profileOp.startsWith("sparse_");
        String key = sparse ? profileOp.substring("sparse_".length()) : profileOp;
        BenchRunner runner = new BenchRunner(config, cs, new GroupSender(config), 1, log);
        int runs = runner.loop(sizes.get(0), sparse ? GroupFixture.Shape.SPARSE : GroupFixture.Shape.FULL, key,
                profileSeconds);
        out.printf("%s at N=%d: %d runs in %.0f s%n", profileOp, sizes.get(0), runs, profileSeconds);
        return 0;
    }

    int run(PrintStream out, PrintStream log) throws Exception {
        CipherSuite cs = CipherSuite.fromId(suite)
                .orElseThrow(() -> new IllegalArgumentException("unknown cipher suite " + suite));
        for (int n : sizes) {
            if (n < 2) {
                throw new IllegalArgumentException("group sizes must be at least 2: " + n);
            }
        }
        GroupConfig config = GroupConfig.DEFAULT;
        if (profileOp != null) {
            return profile(cs, config, out, log);
        }
        GroupSender sender = new GroupSender(config);
        long t0 = System.nanoTime();
        if (!noWarmUp) {
            log.println("warm-up round at N=16");
            new BenchRunner(config, cs, sender, 2, new PrintStream(PrintStream.nullOutputStream())).run(16);
        }
        String machineAtStart = BenchReport.describeMachine();
        BenchRunner runner = new BenchRunner(config, cs, sender, reps, log);
        Map<Integer, Map<String, Object>> results = new LinkedHashMap<>();
        for (int n : sizes) {
            log.println("N=" + n);
            results.put(n, runner.run(n));
        }
        BenchReport report = new BenchReport(machineAtStart + " (at the start; "
                + BenchReport.describeMachine().replaceAll(".*, (load average [0-9.]+)$", "$1") + " at the end)",
                cs.id(), results);
        report.printTable(out);
        out.printf("total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            report.writeJson(json);
        }
        return 0;
    }
}
