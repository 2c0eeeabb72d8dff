package org.mlsbridge.bridge.relay;

import java.util.concurrent.atomic.AtomicLong;

/** What the relay did, for logs and metrics. */
public final class RelayCounters {
    private final AtomicLong sequenced = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong welcomesForwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong forTheBot = new AtomicLong();

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

    /**
     * Events read that the room's bot acts on: membership changes, plain text, Welcomes, and room
     * messages other than application messages. Between two of them the bot has nothing to do
     * that cannot wait for its periodic turn ({@link BotTurns}).
     */
    public long forTheBot() {
        return forTheBot.get();
    }

    void sawForTheBot() {
        forTheBot.incrementAndGet();
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
                + ", refused=" + refused + ", sendFailures=" + sendFailures + ", forTheBot=" + forTheBot + "]";
    }
}
