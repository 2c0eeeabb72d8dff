package org.mlsbridge.app.load;

import java.time.Duration;

/**
 * What one load run sends: {@code membersPerNetwork} members on each network, {@code messages}
 * application messages in all, sent round-robin by every member at {@code rate} messages per
 * second together, each {@code messageBytes} long; a phase that has not delivered everything
 * {@code drainTimeout} after its last send counts the rest as lost.
 */
record LoadSettings(int membersPerNetwork, int messages, double rate, int messageBytes, Duration drainTimeout) {
    static final int MIN_MESSAGE_BYTES = Payloads.HEADER_BYTES;

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
     * measure the JVM compiling the code on that phase's path (the MLS phase runs first, so the
     * plain phase would find its transport code compiled already) rather than the steady state.
     */
    int warmUpMessages() {
        return Math.max(members(), Math.min(200, messages / 10));
    }

    /** The warm-up's settings: these, with {@link #warmUpMessages} messages. */
    LoadSettings warmUp() {
        return new LoadSettings(membersPerNetwork, warmUpMessages(), rate, messageBytes, drainTimeout);
    }

    /** When message {@code k} is due, in nanoseconds after the phase's start. */
    long dueNanos(int k) {
        return (long) (k * 1e9 / rate);
    }
}
