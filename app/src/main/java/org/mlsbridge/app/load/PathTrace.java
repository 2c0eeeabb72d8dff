package org.mlsbridge.app.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * When each message passed each stage of its way, seen from the connections ({@link TimedTransport}):
 * the sender's post answered, the relay's poll returning it, the relay's post answered, each
 * reader's poll returning it. A message is recognised by its bytes on the wire (the same bytes go
 * through the relay unchanged, ciphertext in the MLS phase), so the same stages are measured the
 * same way in both phases. With the {@link Tally}'s send and read times this splits a message's
 * latency into the stages where it waited, for the slowest messages in particular.
 */
final class PathTrace {
    /** The stages, in order along a message's way to its last reader. */
    static final List<String> STAGES = List.of("sender: send call until its post is answered",
            "server and relay: until the relay's poll returns it", "relay: until its post is answered",
            "server: until the reader's poll returns it", "reader: until the load reads it");

    private final Map<Bytes, Integer> byPayload = new ConcurrentHashMap<>();
    private final ThreadLocal<Integer> sending = new ThreadLocal<>();
    private final long[] posted;
    private final long[] pickedUp;
    private final long[] relayed;
    private final long[][] arrived;

    PathTrace(int messages, int members) {
        posted = new long[messages];
        pickedUp = new long[messages];
        relayed = new long[messages];
        arrived = new long[members][messages];
    }

    /** The calling thread is sending message {@code k} (negative: none) until told otherwise. */
    void sending(int k) {
        if (k < 0) {
            sending.remove();
        } else {
            sending.set(k);
        }
    }

    /** A member is about to post {@code payload}; returns the message it carries, or -1. */
    int memberPosting(Bytes payload) {
        Integer k = sending.get();
        if (k == null) {
            return -1;
        }
        byPayload.put(payload, k);
        return k;
    }

    void memberPosted(int k, long nanos) {
        if (k >= 0) {
            posted[k] = nanos;
        }
    }

    void relayPolled(List<Delivery> batch, long nanos) {
        for (Delivery d : batch) {
            int k = messageOf(d);
            if (k >= 0 && pickedUp[k] == 0) {
                pickedUp[k] = nanos;
            }
        }
    }

    void relayPosted(Bytes payload, long nanos) {
        Integer k = byPayload.get(payload);
        if (k != null) {
            relayed[k] = nanos;
        }
    }

    void memberPolled(int reader, List<Delivery> batch, long nanos) {
        for (Delivery d : batch) {
            int k = messageOf(d);
            if (k >= 0 && arrived[reader][k] == 0) {
                arrived[reader][k] = nanos;
            }
        }
    }

    private int messageOf(Delivery d) {
        if (d.event() instanceof RoomEvent.RoomMessage m) {
            Integer k = byPayload.get(m.payload());
            return k == null ? -1 : k;
        }
        return -1;
    }

    /**
     * Mean milliseconds per stage on the way to a message's last reader, for all messages and for
     * the slowest 1 % of them, and each stage's median over all messages: over every other member
     * ({@code to_all}), and per direction over the members of the other network only. A stage not
     * on that way (the relay, when the last reader is on the sender's network) or not seen counts
     * as 0. A slow spell moves the means; the medians show what a stage costs when none is under
     * way, so one phase's minus the other's is where a steady difference between them arises.
     */
    Map<String, Object> split(Tally t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("to_all", split(t, null));
        out.put("xmpp_to_matrix", split(t, UserId.Network.XMPP));
        out.put("matrix_to_xmpp", split(t, UserId.Network.MATRIX));
        return out;
    }

    /** @param from null: every message to every other member; else messages from that network to the other one */
    private Map<String, Object> split(Tally t, UserId.Network from) {
        LoadSettings s = t.settings();
        List<UserId> members = t.members();
        List<double[]> rows = new ArrayList<>();
        for (int k = 0; k < s.messages(); k++) {
            long sent = t.sentAt(k);
            int sender = s.senderOf(k);
            UserId.Network origin = members.get(sender).network();
            if (sent == 0 || (from != null && origin != from)) {
                continue;
            }
            int last = -1;
            long lastRead = 0;
            boolean all = true;
            for (int r = 0; r < members.size() && all; r++) {
                if (r == sender || (from != null && members.get(r).network() == from)) {
                    continue;
                }
                long at = t.readAt(r, k);
                if (at == 0) {
                    all = false;
                } else if (at > lastRead) {
                    lastRead = at;
                    last = r;
                }
            }
            if (!all || last < 0) {
                continue;
            }
            boolean away = members.get(last).network() != origin;
            long[] marks = away ? new long[] {sent, posted[k], pickedUp[k], relayed[k], arrived[last][k], lastRead}
                    : new long[] {sent, posted[k], 0, 0, arrived[last][k], lastRead};
            // A stage ends at its mark, or where the one before ended if that was later (a reader on
            // XMPP may see the relay's post before the relay has its answer); the stages add up to
            // the latency.
            double[] row = new double[STAGES.size() + 1];
            long previous = sent;
            for (int i = 1; i < marks.length; i++) {
                if (marks[i] != 0) {
                    long end = Math.min(lastRead, Math.max(previous, marks[i]));
                    row[i - 1] = (end - previous) / 1e6;
                    previous = end;
                }
            }
            row[STAGES.size()] = (lastRead - sent) / 1e6;
            rows.add(row);
        }
        rows.sort((a, b) -> Double.compare(a[STAGES.size()], b[STAGES.size()]));
        int slowest = Math.max(1, (int) Math.ceil(rows.size() / 100.0));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", rows.size());
        out.put("all_ms", means(rows));
        out.put("slowest_1pct_ms", means(rows.subList(Math.max(0, rows.size() - slowest), rows.size())));
        out.put("median_ms", medians(rows));
        return out;
    }

    /**
     * One measured message's way: who sent it, which other member read it last, and when each stage
     * was passed, in nanoseconds after the send (-1: not seen). For a message some member never
     * read, {@code lastReader} is the last of those that did (null: none) and {@code readers} tells
     * how many did.
     */
    record Way(int message, UserId sender, UserId lastReader, int readers, long sentNanos, long posted, long relayPolled,
            long relayPosted, long readerPolled, long read) {
    }

    /** Every sent message's {@link Way}, in message order: the raw material of {@link #split}, for a trace file. */
    List<Way> ways(Tally t) {
        List<UserId> members = t.members();
        List<Way> out = new ArrayList<>();
        for (int k = 0; k < t.settings().messages(); k++) {
            long sent = t.sentAt(k);
            if (sent == 0) {
                continue;
            }
            int sender = t.settings().senderOf(k);
            int last = -1;
            int readers = 0;
            long lastRead = 0;
            for (int r = 0; r < members.size(); r++) {
                long at = t.readAt(r, k);
                if (r != sender && at != 0) {
                    readers++;
                    if (at > lastRead) {
                        lastRead = at;
                        last = r;
                    }
                }
            }
            UserId lastReader = last < 0 ? null : members.get(last);
            long readerPolled = last < 0 ? -1 : after(sent, arrived[last][k]);
            out.add(new Way(k, members.get(sender), lastReader, readers, sent, after(sent, posted[k]),
                    after(sent, pickedUp[k]), after(sent, relayed[k]), readerPolled, after(sent, lastRead)));
        }
        return out;
    }

    private static long after(long sent, long mark) {
        return mark == 0 ? -1 : mark - sent;
    }

    /** Each column's own median (nearest rank), so they need not add up to the total's. */
    private static Map<String, Double> medians(List<double[]> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] column = new double[rows.size()];
        for (int i = 0; i <= STAGES.size(); i++) {
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[i];
            }
            Arrays.sort(column);
            out.put(stageName(i), rows.isEmpty() ? Double.NaN : Latencies.rank(column, 50));
        }
        return out;
    }

    private static String stageName(int i) {
        return i == STAGES.size() ? "total" : STAGES.get(i);
    }

    private static Map<String, Double> means(List<double[]> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i <= STAGES.size(); i++) {
            double sum = 0;
            for (double[] r : rows) {
                sum += r[i];
            }
            out.put(stageName(i), rows.isEmpty() ? Double.NaN : sum / rows.size());
        }
        return out;
    }
}
