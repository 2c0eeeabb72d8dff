package org.mlsbridge.app.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Wall time spent per named activity (calls, items, total), summed over all threads of a phase. */
final class TimeBook {
    private record Entry(LongAdder calls, LongAdder items, LongAdder nanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean recording;

    /** From now on calls are counted (the set-up before the traffic is not)... */
    void start() {
        recording = true;
    }

    /** ...until now (the wait between a phase's blocks is not counted either). */
    void stop() {
        recording = false;
    }

    void add(String what, long nanos, long items) {
        if (!recording) {
            return;
        }
        Entry e = entries.computeIfAbsent(what, k -> new Entry(new LongAdder(), new LongAdder(), new LongAdder()));
        e.calls.increment();
        e.items.add(items);
        e.nanos.add(nanos);
    }

    /** Per activity: calls, items, total seconds, mean ms per call. */
    Map<String, double[]> figures() {
        Map<String, double[]> out = new TreeMap<>();
        entries.forEach((k, e) -> out.put(k, new double[] {e.calls.sum(), e.items.sum(), e.nanos.sum() / 1e9,
                e.calls.sum() == 0 ? 0 : e.nanos.sum() / 1e6 / e.calls.sum()}));
        return out;
    }

    static void print(PrintStream out, String phase, Map<String, double[]> figures) {
        figures.forEach((k, v) -> out.printf(Locale.ROOT, "  %-6s %-28s %8.0f calls %8.0f items %8.1f s %8.2f ms/call%n",
                phase, k, v[0], v[1], v[2], v[3]));
    }
}
