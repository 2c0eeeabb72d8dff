package org.mlsbridge.bridge.transport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection that keeps one long poll running ahead of its reader (see {@link ReadAhead}):
 * {@link #poll} hands over what that poll got and starts the next one from where it ended, so the
 * reader's own polls cost no request and return as soon as the network has news.
 *
 * <p>The stream's contract is the inner connection's: a poll from a cursor returns what follows
 * that cursor. A poll from another cursor than the one running ahead (the reader went back after
 * a failure) drops that poll's answer when it comes and starts from the cursor asked for. A
 * failure is handed to the next poll once and nothing is retried until the reader polls again, so
 * a broken network costs one request per reader's poll, as without read-ahead.
 */
public final class ReadAheadTransport extends ForwardingTransport {
    private final Duration longPoll;
    private final ReadAhead signal;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** The poll running ahead, or finished and not taken yet; null when none runs. */
    private Fetch ahead;
    private boolean closed;

    /** One poll of the inner connection and, once it ended, its answer. Guarded by {@link #lock}. */
    private static final class Fetch {
        final Optional<Cursor> after;
        final int max;
        boolean done;
        List<Delivery> events = List.of();
        Throwable failure;

        Fetch(Optional<Cursor> after, int max) {
            this.after = after;
            this.max = max;
        }
    }

    ReadAheadTransport(Transport inner, Duration longPoll, ReadAhead signal) {
        super(inner);
        this.longPoll = longPoll;
        this.signal = signal;
    }

    ReadAhead signal() {
        return signal;
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        long waitNanos = Math.min(wait.toNanos(), Duration.ofDays(1).toNanos());
        long deadline = System.nanoTime() + waitNanos;
        lock.lock();
        try {
            if (closed) {
                throw new TransportException("connection closed", false);
            }
            if (ahead != null && (!ahead.after.equals(after) || ahead.max != max)) {
                ahead = null; // its answer is for another place in the stream: dropped when it comes
            }
            if (ahead == null) {
                ahead = start(after, max);
            }
            Fetch f = ahead;
            while (!f.done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                finished.awaitNanos(left);
            }
            ahead = null;
            if (f.failure != null) {
                throw rethrown(f.failure);
            }
            // ahead again from where this answer ends (a long poll that ended empty is renewed)
            ahead = start(f.events.isEmpty() ? after : Optional.of(f.events.getLast().cursor()), max);
            return f.events;
        } finally {
            lock.unlock();
        }
    }

    private Fetch start(Optional<Cursor> after, int max) {
        Fetch f = new Fetch(after, max);
        Thread.ofVirtual().name("read-ahead " + self()).start(() -> fetch(f));
        return f;
    }

    private void fetch(Fetch f) {
        List<Delivery> got = List.of();
        Throwable failure = null;
        try {
            got = inner().poll(f.after, f.max, longPoll);
        } catch (TransportException | RuntimeException | Error e) {
            failure = e; // handed to the reader, which would have met it polling itself
        } catch (InterruptedException e) {
            failure = new TransportException("poll interrupted", true);
        }
        lock.lock();
        try {
            f.done = true;
            f.events = got;
            f.failure = failure;
            // Announced before the reader can take the answer (it needs this lock): a mark taken
            // after taking it must not count this answer as news still to come. Announcing after
            // the unlock let a reader see a stale wake-up (a turn with nothing to do).
            if (f == ahead && (failure != null || !got.isEmpty())) {
                signal.announce();
            }
            finished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static TransportException rethrown(Throwable failure) {
        return switch (failure) {
            case TransportException e -> e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> new TransportException("poll failed: " + failure, true);
        };
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ahead = null;
        } finally {
            lock.unlock();
        }
        super.close(); // ends the poll running ahead: it fails and its answer is dropped
    }
}
