package org.mlsbridge.bridge.relay;

import java.util.concurrent.atomic.AtomicLong;

/** What the relay did, for logs and metrics. */
public final class RelayCounters {
    private final AtomicLong sequenced = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong welcomesForwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();

    /** Handshake messages posted into both rooms in the bridge's order. */
    public long sequenced() {
        return sequenced.get();
    }

    /** Application messages carried to the other room. */
    public long relayed() {
        return relayed.get();
    }

    /** Welcomes carried to a joiner on the other network. */
    public long welcomesForwarded() {
        return welcomesForwarded.get();
    }

    /** Room messages not relayed: undecodable, not MLS room traffic, or a leaf in someone else's name. */
    public long refused() {
        return refused.get();
    }

    /** Posts a server refused for good (the event was skipped, not retried). */
    public long sendFailures() {
        return sendFailures.get();
    }

    void sequence() {
        sequenced.incrementAndGet();
    }

    void relay() {
        relayed.incrementAndGet();
    }

    void welcome() {
        welcomesForwarded.incrementAndGet();
    }

    void refuse() {
        refused.incrementAndGet();
    }

    void sendFailure() {
        sendFailures.incrementAndGet();
    }

    @Override
    public String toString() {
        return "RelayCounters[sequenced=" + sequenced + ", relayed=" + relayed + ", welcomes=" + welcomesForwarded
                + ", refused=" + refused + ", sendFailures=" + sendFailures + "]";
    }
}
