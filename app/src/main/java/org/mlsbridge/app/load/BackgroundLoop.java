package org.mlsbridge.app.load;

import java.util.concurrent.atomic.AtomicReference;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * A relay or bot stepping on its own thread until stopped; retryable network failures wait a
 * little. It can be paused between turns, so that a phase's relay does not poll the servers while
 * the other phase's block is measured.
 */
final class BackgroundLoop implements AutoCloseable {
    /** One turn of the loop. */
    interface Step {
        /** @return how many events the turn handled */
        int run() throws Exception;
    }

    private final String name;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;
    /** Guarded by {@code this}: asked to pause, and the thread waiting between turns because of it. */
    private boolean pauseAsked;
    private boolean parked;
    private volatile long busyAt = System.nanoTime();

    BackgroundLoop(String name, Step step) {
        this.name = name;
        this.thread = Thread.ofPlatform().name("load-" + name).daemon().start(() -> {
            while (!stop) {
                try {
                    parkWhilePaused();
                    if (stop) {
                        return;
                    }
                    if (step.run() > 0) {
                        busyAt = System.nanoTime();
                    }
                } catch (TransportException e) {
                    if (!e.retryable()) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                    waitAfterFailure();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | Error e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        });
    }

    private synchronized void parkWhilePaused() throws InterruptedException {
        if (!pauseAsked) {
            return;
        }
        parked = true;
        notifyAll();
        while (pauseAsked && !stop) {
            wait();
        }
        parked = false;
    }

    /** Stops taking turns once the current one is over; waits for that, up to 30 s. */
    synchronized void pause() throws InterruptedException {
        pauseAsked = true;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!parked && thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(name + ": a turn did not end within 30 s");
            }
            wait(Math.min(100, Math.max(1, left / 1_000_000)));
        }
    }

    /** Takes turns again. */
    synchronized void resume() {
        pauseAsked = false;
        notifyAll();
    }

    String name() {
        return name;
    }

    /** Whether the loop has handled nothing for {@code nanos}: the set-up's traffic has all gone through. */
    boolean idleFor(long nanos) {
        return System.nanoTime() - busyAt >= nanos;
    }

    Throwable failure() {
        return failure.get();
    }

    private static void waitAfterFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        synchronized (this) {
            notifyAll();
        }
        thread.join(30_000);
    }
}
