package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one load run sends: {@code membersPerNetwork} members on each network, {@code messages}
 * application messages in all, sent round-robin by every member at {@code rate} messages per
 * second together, each {@code messageBytes} long; a phase that has not delivered everything
 * {@code drainTimeout} after its last send counts the rest as lost. Each phase sends its messages
 * in blocks of {@code blockMessages}, the two phases' blocks alternating ({@link #blocks}).
 */
record LoadSettings(int membersPerNetwork, int messages, double rate, int messageBytes, Duration drainTimeout,
        int blockMessages) {
    static final int MIN_MESSAGE_BYTES = Payloads.HEADER_BYTES;
    static final int DEFAULT_BLOCK_MESSAGES = 100;

    /** A run whose phases send their messages in blocks of {@value #DEFAULT_BLOCK_MESSAGES}. */
    LoadSettings(int membersPerNetwork, int messages, double rate, int messageBytes, Duration drainTimeout) {
        this(membersPerNetwork, messages, rate, messageBytes, drainTimeout, DEFAULT_BLOCK_MESSAGES);
    }

    LoadSettings {
        if (membersPerNetwork < 1) {
            throw new IllegalArgumentException("members per network: at least 1, got " + membersPerNetwork);
        }
        if (messages < 1) {
            throw new IllegalArgumentException("messages: at least 1, got " + messages);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate: more than 0 messages per second, got " + rate);
        }
        if (messageBytes < MIN_MESSAGE_BYTES || messageBytes > 60_000) {
            throw new IllegalArgumentException("message bytes: " + MIN_MESSAGE_BYTES + " to 60000, got "
                    + messageBytes);
        }
        if (drainTimeout.isNegative() || drainTimeout.isZero()) {
            throw new IllegalArgumentException("drain timeout: more than 0, got " + drainTimeout);
        }
        if (blockMessages < 1) {
            throw new IllegalArgumentException("block messages: at least 1, got " + blockMessages);
        }
    }

    /** Messages {@code from} (inclusive) to {@code to} (exclusive) of a phase, sent in one go. */
    record Block(int from, int to) {
        int size() {
            return to - from;
        }
    }

    /**
     * A phase's messages in the order they are sent, in blocks of {@link #blockMessages} (the last
     * may be shorter). The run alternates the two phases' blocks, so that a slow spell of the
     * machine or of a server, which on a shared machine lasts seconds to minutes, meets both
     * phases rather than one: compared phase against phase, it then cancels out.
     */
    List<Block> blocks() {
        List<Block> out = new ArrayList<>();
        for (int from = 0; from < messages; from += blockMessages) {
            out.add(new Block(from, Math.min(messages, from + blockMessages)));
        }
        return List.copyOf(out);
    }

    int members() {
        return 2 * membersPerNetwork;
    }

    /** The member (index into the run's member list) that sends message {@code k}. */
    int senderOf(int k) {
        return k % members();
    }

    /**
     * Messages sent before each phase's measured ones, read like them but not measured: a tenth of
     * the run, at most 200 and at least one per member. Without it, the first seconds of a phase
     * measure the JVM compiling the code on that phase's path (and, when the other phase's first
     * block ran before, recompiling the code both share) rather than the steady state.
     */
    int warmUpMessages() {
        return Math.max(members(), Math.min(200, messages / 10));
    }

    /**
     * The warm-up's settings: these, with {@link #warmUpMessages} messages in two blocks, so that
     * the warm-up takes turns between the phases like the measured messages.
     */
    LoadSettings warmUp() {
        int n = warmUpMessages();
        return new LoadSettings(membersPerNetwork, n, rate, messageBytes, drainTimeout, (n + 1) / 2);
    }

    /** When message {@code k} of {@code block} is due, in nanoseconds after the block's start. */
    long dueNanos(Block block, int k) {
        return (long) ((k - block.from()) * 1e9 / rate);
    }
}
