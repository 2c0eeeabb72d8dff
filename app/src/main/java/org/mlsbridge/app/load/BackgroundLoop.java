package org.mlsbridge.app.load;

import java.util.concurrent.atomic.AtomicReference;
import org.mlsbridge.bridge.transport.TransportException;

/** A relay or bot stepping on its own thread until stopped; retryable network failures wait a little. */
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
    private volatile long busyAt = System.nanoTime();

    BackgroundLoop(String name, Step step) {
        this.name = name;
        this.thread = Thread.ofPlatform().name("load-" + name).daemon().start(() -> {
            while (!stop) {
                try {
                    if (step.run() > 0) {
                        busyAt = System.nanoTime();
                    }
                } catch (TransportException e) {
                    if (!e.retryable()) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                    pause();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | Error e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        });
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

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(30_000);
    }
}
