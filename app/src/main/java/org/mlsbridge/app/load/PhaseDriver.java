package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.List;

/**
 * Runs a phase's member loops for one block of messages: waits until every member is ready, starts
 * the traffic on all of them at once, and stops them when every message of the block was read by
 * every member or the drain time after its last send has passed. Background loops (relay, bot) are
 * the caller's.
 */
final class PhaseDriver {
    private PhaseDriver() {
    }

    /**
     * Waits until all members report ready and the relay and bot have had nothing to do for
     * {@code settle} (the set-up's handshakes all relayed), or fails after {@code timeout}.
     */
    static void awaitReady(List<MemberLoop> loops, List<BackgroundLoop> background, Duration settle,
            Duration timeout, Progress progress) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long readySince = 0;
        while (true) {
            check(loops, background);
            long ready = loops.stream().filter(MemberLoop::ready).count();
            long now = System.nanoTime();
            boolean quiet = background.stream().allMatch(b -> b.idleFor(settle.toNanos()));
            if (ready == loops.size() && quiet) {
                if (readySince == 0) {
                    readySince = now;
                } else if (now - readySince >= settle.toNanos()) {
                    return;
                }
            } else {
                readySince = 0;
            }
            if (now > deadline) {
                throw new IllegalStateException("only " + ready + " of " + loops.size() + " members ready within "
                        + timeout.toSeconds() + " s");
            }
            progress.show(ready + "/" + loops.size() + " members ready, each sees "
                    + loops.stream().mapToInt(MemberLoop::seen).min().orElse(0) + " to "
                    + loops.stream().mapToInt(MemberLoop::seen).max().orElse(0));
            Thread.sleep(200);
        }
    }

    /** Starts the traffic of {@code block} and returns when it is over. */
    static void traffic(List<MemberLoop> loops, List<BackgroundLoop> background, Tally tally,
            LoadSettings.Block block, TimeBook book, Progress progress) throws Exception {
        LoadSettings s = tally.settings();
        long start = System.nanoTime() + 200_000_000L;
        book.start();
        for (MemberLoop l : loops) {
            l.startTraffic(start);
        }
        long lastDue = start + s.dueNanos(block, block.to() - 1);
        long deadline = lastDue + s.drainTimeout().toNanos();
        while (!(tally.complete(block) && loops.stream().allMatch(MemberLoop::allSent))) {
            check(loops, background);
            if (System.nanoTime() > deadline) {
                break;
            }
            progress.show(String.format("%d/%d reads", tally.delivered(block), tally.expectedDeliveries(block)));
            Thread.sleep(100);
        }
        MemberLoop.stopAll(loops);
        book.stop();
        check(loops, background);
    }

    private static void check(List<MemberLoop> loops, List<BackgroundLoop> background) {
        for (MemberLoop l : loops) {
            if (l.failure() != null) {
                throw new IllegalStateException("a member failed: " + l.failure(), l.failure());
            }
        }
        for (BackgroundLoop b : background) {
            if (b.failure() != null) {
                throw new IllegalStateException(b.name() + " failed: " + b.failure(), b.failure());
            }
        }
    }

    /** Where a long run tells how far it is. */
    interface Progress {
        void show(String status);
    }
}
