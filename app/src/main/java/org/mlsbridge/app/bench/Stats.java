package org.mlsbridge.app.bench;

import java.util.Arrays;

/** Median, minimum and maximum of repeated measurements, in one unit (ms or µs). */
record Stats(double median, double min, double max, int samples) {
    static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Stats(median, v[0], v[v.length - 1], v.length);
    }

    /** A quantity measured once (sizes in bytes). */
    static Stats single(double value) {
        return new Stats(value, value, value, 1);
    }
}
