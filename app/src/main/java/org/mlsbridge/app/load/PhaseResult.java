package org.mlsbridge.app.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlsbridge.bridge.transport.UserId;

/**
 * The figures of one phase, computed from its {@link Tally} only.
 *
 * @param seconds the phase's time: from the first send to the last read of each of its blocks
 *     ({@link LoadSettings#blocks}), summed over the blocks (the other phase's blocks in between do
 *     not count)
 * @param throughput messages read by every other member, per second of {@code seconds}
 * @param toAll per message read by every other member: send to the last of those reads
 * @param xmppToMatrix per message sent on XMPP: send to its last read on Matrix
 * @param matrixToXmpp per message sent on Matrix: send to its last read on XMPP
 * @param lost expected reads (every message by every member but its sender) that did not happen
 * @param misattributed reads of something that was not a load message, or under the wrong sender
 * @param undecryptable messages the MLS clients could not decrypt (0 on the plain path)
 * @param time the {@link TimeBook}'s figures
 * @param path where messages waited on their way ({@link PathTrace#split})
 * @param cpuMsPerMessage CPU milliseconds per message of each measured process during the traffic ({@link CpuMeter})
 * @param hostSteal the share of the machine's CPU time the host took away during the phase's traffic
 *     ({@link HostSteal})
 * @param ways each message's way, for {@code mlsbridge load --trace} ({@link PathTrace#ways})
 * @param p99ByTenth the p99 of {@code toAll} over each tenth of the messages read by all, in message
 *     order (NaN for a tenth with none): a phase that met a slow spell the other did not shows
 *     here, where the whole run's p99 cannot tell it from a steady cost
 * @param percentiles {@code toAll} at each of {@link #PERCENTILES} (NaN when no message was read
 *     by all): set against the other phase's, they show whether a difference is a steady cost
 *     (about the same at every percentile) or the tail's (growing towards p99.9)
 */
record PhaseResult(String name, int messages, int members, long expectedReads, long reads, double seconds,
        double throughput, Latencies toAll, Latencies xmppToMatrix, Latencies matrixToXmpp, long lost,
        long duplicates, long misattributed, long undecryptable, java.util.Map<String, double[]> time,
        java.util.Map<String, Object> path, java.util.Map<String, Double> cpuMsPerMessage,
        HostSteal.Share hostSteal, List<PathTrace.Way> ways, List<Double> p99ByTenth, List<Double> percentiles) {
    static final List<Double> PERCENTILES = List.of(50.0, 75.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.9);

    static PhaseResult of(String name, Tally t, long undecryptable, TimeBook book, PathTrace trace,
            java.util.Map<String, Double> cpuMsPerMessage, HostSteal.Share hostSteal) {
        LoadSettings s = t.settings();
        List<UserId> members = t.members();
        List<LoadSettings.Block> blocks = s.blocks();
        long[] first = new long[blocks.size()];
        long[] last = new long[blocks.size()];
        Arrays.fill(first, Long.MAX_VALUE);
        Arrays.fill(last, Long.MIN_VALUE);
        List<Double> all = new ArrayList<>();
        List<Double> xm = new ArrayList<>();
        List<Double> mx = new ArrayList<>();
        for (int k = 0; k < s.messages(); k++) {
            long sent = t.sentAt(k);
            if (sent == 0) {
                continue;
            }
            int b = k / s.blockMessages();
            first[b] = Math.min(first[b], sent);
            int sender = s.senderOf(k);
            UserId.Network from = members.get(sender).network();
            long lastAll = 0;
            long lastAway = 0;
            boolean allRead = true;
            boolean awayRead = true;
            for (int r = 0; r < members.size(); r++) {
                if (r == sender) {
                    continue;
                }
                long at = t.readAt(r, k);
                boolean away = members.get(r).network() != from;
                if (at == 0) {
                    allRead = false;
                    awayRead &= !away;
                    continue;
                }
                last[b] = Math.max(last[b], at);
                lastAll = Math.max(lastAll, at);
                if (away) {
                    lastAway = Math.max(lastAway, at);
                }
            }
            if (allRead) {
                all.add((lastAll - sent) / 1e6);
            }
            if (awayRead && lastAway != 0) {
                (from == UserId.Network.XMPP ? xm : mx).add((lastAway - sent) / 1e6);
            }
        }
        double seconds = 0;
        for (int b = 0; b < blocks.size(); b++) {
            seconds += first[b] == Long.MAX_VALUE || last[b] == Long.MIN_VALUE ? Double.NaN : (last[b] - first[b]) / 1e9;
        }
        return new PhaseResult(name, s.messages(), members.size(), t.expectedDeliveries(), t.delivered(), seconds,
                all.size() / seconds, Latencies.of(unbox(all)), Latencies.of(unbox(xm)), Latencies.of(unbox(mx)),
                t.expectedDeliveries() - t.delivered(), t.duplicates(), t.misattributed(), undecryptable,
                book.figures(), trace.split(t),
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cpuMsPerMessage)), hostSteal,
                List.copyOf(trace.ways(t)), p99ByTenth(all), percentiles(all));
    }

    private static List<Double> percentiles(List<Double> latencies) {
        double[] sorted = unbox(latencies);
        Arrays.sort(sorted);
        return PERCENTILES.stream().map(p -> sorted.length == 0 ? Double.NaN : Latencies.rank(sorted, p)).toList();
    }

    private static List<Double> p99ByTenth(List<Double> inMessageOrder) {
        List<Double> out = new ArrayList<>();
        int n = inMessageOrder.size();
        for (int i = 0; i < 10; i++) {
            List<Double> tenth = inMessageOrder.subList(i * n / 10, (i + 1) * n / 10);
            out.add(Latencies.of(unbox(tenth)).p99());
        }
        return List.copyOf(out);
    }

    boolean clean() {
        return lost == 0 && duplicates == 0 && misattributed == 0 && undecryptable == 0;
    }

    private static double[] unbox(List<Double> l) {
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }
}
