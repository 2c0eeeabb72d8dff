package org.mlsbridge.app.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How much of the machine's CPU time the hypervisor gave to other guests ("steal" in Linux's
 * {@code /proc/stat}) while a phase's traffic ran. On a shared virtual machine this is what moves
 * a run's tail from one hour to the next, and it can fall on one phase's blocks and not the
 * other's; the report shows it per phase so that a reader can tell a cost of MLS from a slow
 * spell of the host. Where the system does not report steal time the figures are unknown (NaN),
 * never zero.
 */
final class HostSteal {
    /** Cumulative ticks of all cores since boot: those stolen, and all of them. */
    record Reading(long steal, long total) {
    }

    /**
     * A phase's figures.
     *
     * @param whole the share of all CPU time of the phase's blocks that was stolen (0 to 1)
     * @param worstBlock the largest such share of any one block
     */
    record Share(double whole, double worstBlock) {
        static final Share UNKNOWN = new Share(Double.NaN, Double.NaN);

        boolean known() {
            return Double.isFinite(whole);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("whole", known() ? whole : null);
            m.put("worst_block", known() ? worstBlock : null);
            return m;
        }
    }

    private final Path stat;

    HostSteal(Path stat) {
        this.stat = stat;
    }

    static HostSteal ofSystem() {
        return new HostSteal(Path.of("/proc/stat"));
    }

    /**
     * The counters now, or nothing where the system keeps none or they cannot be read: the figure
     * explains a run, it must never end one.
     */
    Optional<Reading> read() {
        try (var lines = Files.lines(stat)) {
            return lines.findFirst().flatMap(HostSteal::parse);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * The all-cores line of {@code /proc/stat}: {@code cpu user nice system idle iowait irq softirq
     * steal [guest guest_nice]}. Guest time is already counted in user time, so the total is the
     * first eight counters.
     */
    static Optional<Reading> parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            return Optional.empty();
        }
        long total = 0;
        try {
            for (int i = 1; i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return Optional.of(new Reading(Long.parseLong(f[8]), total));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sums the blocks of one phase; a block with a reading missing at either end makes the phase unknown. */
    static final class Tally {
        private long steal;
        private long total;
        private double worstBlock;
        private boolean unknown;

        void add(Optional<Reading> before, Optional<Reading> after) {
            if (before.isEmpty() || after.isEmpty()) {
                unknown = true;
                return;
            }
            long s = after.get().steal() - before.get().steal();
            long t = after.get().total() - before.get().total();
            if (t <= 0) {
                return;
            }
            steal += s;
            total += t;
            worstBlock = Math.max(worstBlock, (double) s / t);
        }

        Share share() {
            return unknown || total == 0 ? Share.UNKNOWN : new Share((double) steal / total, worstBlock);
        }
    }
}
