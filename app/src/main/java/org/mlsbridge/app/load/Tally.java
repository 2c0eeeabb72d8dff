package org.mlsbridge.app.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.mlsbridge.bridge.transport.UserId;

/**
 * What one phase measured: when each message was sent and when each member read it. Each member's
 * thread writes only its own row; the result is read after those threads have ended.
 */
final class Tally {
    private final String round;
    private final LoadSettings settings;
    private final List<UserId> members;
    private final long[] sent;
    private final long[][] read;
    private final long[] duplicates;
    private final long[] misattributed;
    private final AtomicLong delivered = new AtomicLong();
    /** Per message, how many members have read it: what the driver watches while readers write. */
    private final AtomicIntegerArray readers;

    /** The measured messages of a phase. */
    Tally(LoadSettings settings, List<UserId> members) {
        this(settings, members, "measured");
    }

    /** @param round which messages of the phase these are ("warm-up", "measured"): they are told apart by it */
    Tally(LoadSettings settings, List<UserId> members, String round) {
        this.round = round;
        if (members.size() != settings.members()) {
            throw new IllegalArgumentException("expected " + settings.members() + " members, got " + members.size());
        }
        this.settings = settings;
        this.members = List.copyOf(members);
        this.sent = new long[settings.messages()];
        this.read = new long[members.size()][settings.messages()];
        this.duplicates = new long[members.size()];
        this.misattributed = new long[members.size()];
        this.readers = new AtomicIntegerArray(settings.messages());
    }

    String round() {
        return round;
    }

    LoadSettings settings() {
        return settings;
    }

    List<UserId> members() {
        return members;
    }

    /** Message {@code k} handed to the transport (plain) or the MLS client (MLS) at {@code nanos}. */
    void sent(int k, long nanos) {
        sent[k] = nanos;
    }

    /**
     * Member {@code reader} read message {@code k} at {@code nanos}; {@code sender} is who the
     * reader was told sent it, when the path authenticates senders (MLS), else null.
     */
    void read(int reader, int k, UserId sender, long nanos) {
        if (k < 0 || k >= sent.length || settings.senderOf(k) == reader) {
            misattributed[reader]++;
            return;
        }
        if (sender != null && !sender.equals(members.get(settings.senderOf(k)))) {
            misattributed[reader]++;
            return;
        }
        if (read[reader][k] != 0) {
            duplicates[reader]++;
            return;
        }
        read[reader][k] = nanos;
        readers.incrementAndGet(k);
        delivered.incrementAndGet();
    }

    /** A reader's message that is not a load message of this phase. */
    void unexpected(int reader) {
        misattributed[reader]++;
    }

    long expectedDeliveries() {
        return (long) settings.messages() * (members.size() - 1);
    }

    long delivered() {
        return delivered.get();
    }

    boolean complete() {
        return delivered.get() == expectedDeliveries();
    }

    /** Reads of the messages of {@code block} so far. */
    long delivered(LoadSettings.Block block) {
        long n = 0;
        for (int k = block.from(); k < block.to(); k++) {
            n += readers.get(k);
        }
        return n;
    }

    /** Every message of {@code block} read by every member but its sender. */
    boolean complete(LoadSettings.Block block) {
        return delivered(block) == expectedDeliveries(block);
    }

    long expectedDeliveries(LoadSettings.Block block) {
        return (long) block.size() * (members.size() - 1);
    }

    long sentAt(int k) {
        return sent[k];
    }

    long readAt(int reader, int k) {
        return read[reader][k];
    }

    long duplicates() {
        long n = 0;
        for (long d : duplicates) {
            n += d;
        }
        return n;
    }

    long misattributed() {
        long n = 0;
        for (long d : misattributed) {
            n += d;
        }
        return n;
    }
}
