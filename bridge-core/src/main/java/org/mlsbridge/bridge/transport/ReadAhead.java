package org.mlsbridge.bridge.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * Lets one reader follow several connections at once without polling them in turn: each
 * connection wrapped by {@link #wrap} keeps one long poll running ahead of its reader, and
 * {@link #await} wakes the reader as soon as any of them has something.
 *
 * <p>Why: a relay reads two rooms on one thread. Polling each with a short wait in turn costs a
 * request per turn on a network whose poll is a request (a Matrix {@code /sync} with a zero
 * timeout, tens per second while traffic flows) and leaves one side's news waiting while the
 * thread waits on the other. With read-ahead each side has one long poll in flight and the
 * reader's own polls only take what has arrived.
 */
public final class ReadAhead {
    /** How long each poll running ahead waits for news before it is renewed. */
    public static final Duration DEFAULT_LONG_POLL = Duration.ofSeconds(25);

    private final Duration longPoll;
    /** Moves when a poll running ahead finished with something for its reader (events or a failure). */
    private final Notifier news = new Notifier();

    public ReadAhead() {
        this(DEFAULT_LONG_POLL);
    }

    public ReadAhead(Duration longPoll) {
        if (longPoll.isNegative() || longPoll.isZero()) {
            throw new IllegalArgumentException("long poll must be positive: " + longPoll);
        }
        this.longPoll = longPoll;
    }

    /** {@code inner}, reading ahead and announcing its news to this signal. */
    public ReadAheadTransport wrap(Transport inner) {
        return new ReadAheadTransport(inner, longPoll, this);
    }

    /**
     * The signal that both connections announce to, if both were wrapped by the same read-ahead:
     * then their reader may wait on it instead of on one of them.
     */
    public static Optional<ReadAhead> common(Transport a, Transport b) {
        if (a instanceof ReadAheadTransport ra && b instanceof ReadAheadTransport rb && ra.signal() == rb.signal()) {
            return Optional.of(ra.signal());
        }
        return Optional.empty();
    }

    /** A mark to pass to {@link #await}: take it before looking at the connections. */
    public long mark() {
        return news.version();
    }

    /**
     * Waits up to {@code wait} for news announced after {@code mark} was taken.
     *
     * @return whether there is any (then poll the connections again)
     */
    public boolean await(long mark, Duration wait) throws InterruptedException {
        return news.awaitChange(mark, wait);
    }

    void announce() {
        news.signal();
    }
}
