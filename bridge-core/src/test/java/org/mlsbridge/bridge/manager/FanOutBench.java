package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How long one application message takes to reach the last of 19 readers when they all read at
 * once, as in the load run: a group of 20 members on real SQLite stores in a temporary folder,
 * over the in-memory network, one sender, and every other member on its own thread stepping,
 * taking and acknowledging as the load run's members do. The fan-out time of a message runs from
 * the sender's call to the moment its last reader has it in hand (before acknowledging, as the
 * load run times a read). Messages go one at a time, {@value #GAP_MILLIS} ms after the previous one was
 * read by all. Not a test: run by hand (docs/performance.md). Args: [MESSAGES, default 1000]
 */
public final class FanOutBench {
    private static final int READERS = BenchGroup.READERS;
    private static final int WARM_UP = 200;
    private static final long GAP_MILLIS = 20;

    private FanOutBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        BenchGroup.run("fan-out-bench", (sender, readers) -> run(sender, readers, messages));
    }

    private static void run(MemberClient sender, List<MemberClient> readers, int messages) throws Exception {
        AtomicReference<CountDownLatch> pending = new AtomicReference<>(new CountDownLatch(0));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] lastRead = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (MemberClient r : readers) {
            Thread t = Thread.ofPlatform().daemon().name("reader-" + r.self()).start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (r.step(500, Duration.ofMillis(200)) == 0) {
                            continue;
                        }
                        List<ReceivedMessage> got = r.received();
                        long now = System.nanoTime();
                        r.acknowledge(got);
                        for (int i = 0; i < got.size(); i++) {
                            synchronized (lastRead) {
                                lastRead[0] = Math.max(lastRead[0], now);
                            }
                            pending.get().countDown();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(t);
        }
        double[] fanOut = new double[messages];
        double[] sendCall = new double[messages];
        for (int k = -WARM_UP; k < messages; k++) {
            CountDownLatch all = new CountDownLatch(READERS);
            pending.set(all);
            long t0 = System.nanoTime();
            sender.sendWithoutPolling(Harness.ROOM, Harness.text("message " + k + " " + "x".repeat(90)))
                    .orElseThrow();
            long t1 = System.nanoTime();
            if (!all.await(30, TimeUnit.SECONDS) || failure.get() != null) {
                throw new IllegalStateException("message " + k + " was not read by all", failure.get());
            }
            if (k >= 0) {
                synchronized (lastRead) {
                    fanOut[k] = (lastRead[0] - t0) / 1e6;
                }
                sendCall[k] = (t1 - t0) / 1e6;
            }
            Thread.sleep(GAP_MILLIS);
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(5_000);
        }
        System.out.printf("%d members, %d messages after a warm-up of %d, %d ms apart%n", READERS + 1, messages,
                WARM_UP, GAP_MILLIS);
        System.out.printf("send call:        %s%n", percentiles(sendCall));
        System.out.printf("to last reader:   %s%n", percentiles(fanOut));
    }

    private static String percentiles(double[] millis) {
        double[] v = millis.clone();
        Arrays.sort(v);
        return String.format("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms", at(v, 50), at(v, 90), at(v, 99),
                v[v.length - 1]);
    }

    private static double at(double[] sorted, double p) {
        int r = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }
}
