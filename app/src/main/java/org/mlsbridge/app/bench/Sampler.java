package org.mlsbridge.app.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * Runs one operation repeatedly and times it: each run gets fresh input from an untimed
 * {@code setup} (so every repetition starts from the same group state), then the timed
 * {@code action}. One untimed warm-up run comes first when the operation is cheap; the number
 * of timed runs drops to {@link #SLOW_REPS} when one run takes longer than {@link #SLOW_MS},
 * so the largest groups finish in bounded time (the median of three is still robust to one
 * outlier).
 */
final class Sampler {
    static final double SLOW_MS = 4_000;
    static final int SLOW_REPS = 3;
    private static final double WARM_UP_BELOW_MS = 1_000;

    interface Setup<T> {
        T get() throws Exception;
    }

    interface Action<T> {
        void run(T input) throws Exception;
    }

    private final int reps;

    Sampler(int reps) {
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be at least 1: " + reps);
        }
        this.reps = reps;
    }

    /** Milliseconds per run (wall clock), with the process's CPU milliseconds per run. */
    <T> Stats millis(Setup<T> setup, Action<T> action) throws Exception {
        double[] first = timeOnce(setup, action);
        boolean warmUpOnly = first[0] < WARM_UP_BELOW_MS && reps > 1;
        int runs = first[0] > SLOW_MS ? Math.min(reps, SLOW_REPS) : reps;
        double[] samples = new double[runs];
        double[] cpu = new double[runs];
        int from = 0;
        if (!warmUpOnly) {
            samples[0] = first[0];
            cpu[0] = first[1];
            from = 1;
        }
        for (int i = from; i < runs; i++) {
            double[] t = timeOnce(setup, action);
            samples[i] = t[0];
            cpu[i] = t[1];
        }
        return Stats.of(samples, cpu);
    }

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Process CPU time in nanoseconds (all threads: the work on both cores, also GC and JIT). */
    static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    private static <T> double[] timeOnce(Setup<T> setup, Action<T> action) throws Exception {
        T input = setup.get();
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        action.run(input);
        long t1 = System.nanoTime();
        long c1 = processCpuNanos();
        return new double[] {(t1 - t0) / 1e6, (c1 - c0) / 1e6};
    }
}
