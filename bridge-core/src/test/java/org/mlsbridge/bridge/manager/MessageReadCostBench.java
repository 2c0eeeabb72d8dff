package org.mlsbridge.bridge.manager;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * What one member client spends on sending, and on reading, one application message: a group of
 * 20 members on real SQLite stores in a temporary folder, over the in-memory network, one sender,
 * and every other member stepping, taking and acknowledging each message as the load run's members
 * do. Prints the thread CPU time and the wall time per message sent and per message read, after a
 * warm-up of 200 messages. Not a test: run by hand (docs/performance.md, "What a message read
 * costs a member"). Args: [MESSAGES, default 1500]
 */
public final class MessageReadCostBench {
    private static final int READERS = BenchGroup.READERS;
    private static final int WARM_UP = 200;

    private MessageReadCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        BenchGroup.run("read-cost-bench", (sender, readers) -> run(sender, readers, messages));
    }

    /** Thread CPU and wall time of one kind of call, summed. */
    private static final class Meter {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu;
        long wall;
        private long cpuStart;
        private long wallStart;

        void start() {
            cpuStart = threads.getCurrentThreadCpuTime();
            wallStart = System.nanoTime();
        }

        void stop(boolean counted) {
            if (counted) {
                cpu += threads.getCurrentThreadCpuTime() - cpuStart;
                wall += System.nanoTime() - wallStart;
            }
        }

        String per(double n) {
            return String.format("%.3f ms CPU, %.3f ms wall", cpu / 1e6 / n, wall / 1e6 / n);
        }
    }

    private static void run(MemberClient sender, List<MemberClient> readers, int messages) throws Exception {
        Meter send = new Meter();
        Meter step = new Meter();
        Meter take = new Meter();
        for (int k = -WARM_UP; k < messages; k++) {
            boolean counted = k >= 0;
            send.start();
            sender.sendWithoutPolling(Harness.ROOM, Harness.text("message " + k + " " + "x".repeat(90)))
                    .orElseThrow();
            send.stop(counted);
            for (MemberClient r : readers) {
                step.start();
                r.step(500, Duration.ZERO);
                step.stop(counted);
                take.start();
                List<ReceivedMessage> got = r.received();
                r.acknowledge(got);
                take.stop(counted);
                if (got.size() != 1) {
                    throw new IllegalStateException(r.self() + " read " + got.size() + " messages, not 1");
                }
            }
        }
        double reads = (double) READERS * messages;
        System.out.printf("%d members, %d messages after a warm-up of %d%n", READERS + 1, messages, WARM_UP);
        System.out.printf("send (encrypt, save, post):          %s per message%n", send.per(messages));
        System.out.printf("read: step (poll, decrypt, save):    %s per read%n", step.per(reads));
        System.out.printf("read: take and acknowledge:          %s per read%n", take.per(reads));
    }
}
