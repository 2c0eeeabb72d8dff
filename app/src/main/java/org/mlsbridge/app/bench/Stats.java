package org.mlsbridge.app.bench;

import java.util.Arrays;

/**
 * Median, minimum and maximum of repeated wall-clock measurements, in one unit (ms or µs), and
 * the median CPU time of the whole process over the same runs (NaN when not measured): on a
 * machine shared with other work, CPU time shows the cost of an operation without the time it
 * spent waiting for a core, and, for work spread over both cores, how much it used.
 */
record Stats(double median, double min, double max, int samples, double cpuMedian) {
    static Stats of(double[] values, double[] cpu) {
        Stats wall = of(values);
        return new Stats(wall.median, wall.min, wall.max, wall.samples, of(cpu).median);
    }

    static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Stats(median, v[0], v[v.length - 1], v.length, Double.NaN);
    }

    /** A quantity measured once (sizes in bytes). */
    static Stats single(double value) {
        return new Stats(value, value, value, 1, Double.NaN);
    }
}
