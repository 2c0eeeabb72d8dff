package org.mlsbridge.app.load;

import java.util.Arrays;

/** Percentiles of a set of latencies in milliseconds (nearest rank); all NaN when there are none. */
record Latencies(int count, double p50, double p99, double max) {
    static Latencies of(double[] millis) {
        if (millis.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = millis.clone();
        Arrays.sort(v);
        return new Latencies(v.length, rank(v, 50), rank(v, 99), v[v.length - 1]);
    }

    /** The smallest value that at least {@code p} percent of the values are at or below. */
    static double rank(double[] sorted, double p) {
        // less a hair: 99.9 % of 1,000 is rank 999, which binary floating point makes 999.0000000000001
        int r = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }
}
