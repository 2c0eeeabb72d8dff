package org.mlsbridge.bridge.relay;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * Up to {@code limit} posts in flight at once, each on a virtual thread of its own, for a relay
 * whose posts need no order among themselves (application messages). A relay submits its posts
 * as it reads events and calls {@link #awaitAll} before anything that must come after them: a
 * handshake message, or saving a cursor (a cursor may only pass events whose posts were answered).
 *
 * <p>Posts submitted with the same order key (the sender) run one after the other, in the order
 * submitted, so one person's messages reach the other room in the order they were written; only
 * different senders' posts overtake each other. A post whose same-sender predecessor failed is not
 * made at all, so the next turn posts both again in their order.
 *
 * <p>Used by one thread at a time (the relay's loop). Posts must be idempotent (a client message
 * id derived from the source event): a failure ends the turn, and the next turn posts the events
 * after the saved cursor again, including those that had got through.
 */
public final class PostWindow implements AutoCloseable {
    /** One post; a retryable {@link TransportException} ends the turn, anything else is the post's own business. */
    @FunctionalInterface
    public interface Post {
        void run() throws TransportException;
    }

    private final int limit;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ArrayDeque<Future<Void>> inFlight = new ArrayDeque<>();
    /** The newest post of each order key submitted since the window was last empty. */
    private final Map<Object, Future<Void>> newestOf = new HashMap<>();
    private TransportException failure;

    public PostWindow(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Starts {@code post}, first waiting for the oldest one in flight if {@code limit} are. It
     * runs once the previous post submitted with an equal {@code orderKey} has ended, and only if
     * that one succeeded. A null key keeps no order.
     */
    public void submit(Object orderKey, Post post) throws InterruptedException {
        while (inFlight.size() >= limit) {
            settle(inFlight.removeFirst());
        }
        Future<Void> before = orderKey == null ? null : newestOf.get(orderKey);
        Future<Void> f = threads.submit(() -> {
            if (before != null) {
                requireSucceeded(before);
            }
            post.run();
            return null;
        });
        inFlight.addLast(f);
        if (orderKey != null) {
            newestOf.put(orderKey, f);
        }
    }

    /** Starts {@code post} with no order to keep against any other post. */
    public void submit(Post post) throws InterruptedException {
        submit(null, post);
    }

    private static void requireSucceeded(Future<Void> before) throws TransportException, InterruptedException {
        try {
            before.get();
        } catch (ExecutionException | CancellationException e) {
            throw new TransportException("not posted: an earlier post of the same sender failed", true);
        }
    }

    /** How many posts are in flight (not yet collected by {@link #awaitAll}). */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Waits until every post submitted has been answered.
     *
     * @throws TransportException the first failure among them (after all of them ended), also
     *     one collected while {@link #submit} waited for room
     */
    public void awaitAll() throws TransportException, InterruptedException {
        while (!inFlight.isEmpty()) {
            settle(inFlight.removeFirst());
        }
        newestOf.clear();
        TransportException e = failure;
        failure = null;
        if (e != null) {
            throw e;
        }
    }

    /**
     * Waits for every post in flight and forgets their failures: for a turn that is failing anyway,
     * so that no post of it still runs when the next turn posts the same events again.
     */
    public void abandon() {
        boolean interrupted = false;
        while (!inFlight.isEmpty()) {
            Future<Void> f = inFlight.removeFirst();
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break;
                }
            }
        }
        newestOf.clear();
        failure = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void settle(Future<Void> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TransportException te) {
                if (failure == null) {
                    failure = te;
                }
            } else if (cause instanceof RuntimeException re) {
                abandon();
                throw re;
            } else if (cause instanceof Error err) {
                abandon();
                throw err;
            } else {
                abandon();
                throw new IllegalStateException("post failed", cause);
            }
        }
    }

    /** Waits for the posts in flight, then ends the threads. */
    @Override
    public void close() {
        abandon();
        threads.close();
    }
}
