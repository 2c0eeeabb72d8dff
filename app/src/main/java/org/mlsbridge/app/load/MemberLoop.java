package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * Runs one member on its own thread: until the phase starts it only reads (and reports whether it
 * is ready); then it sends its share of a block's messages when each is due, reading in between.
 */
final class MemberLoop implements Runnable {
    /**
     * The longest a member waits for the network between sends. Waiting until the next send is due
     * (rather than polling on a short tick) matters on Matrix: each poll is a /sync request, and
     * twenty clients polling every few milliseconds would load the homeserver more than the traffic.
     */
    private static final Duration MAX_WAIT = Duration.ofMillis(500);

    private final PhaseMember member;
    private final LoadSettings settings;
    private final LoadSettings.Block block;
    private final int[] mine;
    private final Thread thread;
    private volatile long start;
    private volatile int seen;
    private volatile boolean stop;
    private volatile int sentSoFar;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Tally tally;
    private final TimeBook book;
    private final PathTrace trace;

    /** Member {@code index}'s loop for the messages of {@code block}. */
    MemberLoop(String name, int index, PhaseMember member, LoadSettings.Block block, Tally tally, TimeBook book,
            PathTrace trace) {
        this.member = member;
        this.block = block;
        this.book = book;
        this.trace = trace;
        this.settings = tally.settings();
        this.tally = tally;
        List<Integer> own = new ArrayList<>();
        for (int k = block.from(); k < block.to(); k++) {
            if (settings.senderOf(k) == index) {
                own.add(k);
            }
        }
        this.mine = own.stream().mapToInt(Integer::intValue).toArray();
        this.thread = Thread.ofPlatform().name("load-" + name).daemon().unstarted(this);
    }

    void startThread() {
        thread.start();
    }

    /** Traffic starts at {@code nanos} ({@link System#nanoTime}). */
    void startTraffic(long nanos) {
        start = nanos;
    }

    boolean ready() {
        return seen == settings.members();
    }

    /** How many members this one saw at its last step before the traffic. */
    int seen() {
        return seen;
    }

    boolean allSent() {
        return sentSoFar == mine.length;
    }

    Throwable failure() {
        return failure.get();
    }

    /**
     * Stops every loop of a turn: all are told first, then waited for, so the turn ends after the
     * longest step in progress (up to {@link #MAX_WAIT}) rather than after one such wait per member.
     */
    static void stopAll(List<MemberLoop> loops) throws InterruptedException {
        for (MemberLoop l : loops) {
            l.stop = true;
        }
        for (MemberLoop l : loops) {
            l.thread.join(30_000);
        }
    }

    @Override
    public void run() {
        int next = 0;
        while (!stop) {
            try {
                long t0 = start;
                if (t0 == 0) {
                    member.step(Duration.ofMillis(200));
                    seen = member.membersSeen();
                    continue;
                }
                while (next < mine.length && System.nanoTime() - t0 >= settings.dueNanos(block, mine[next])) {
                    int k = mine[next];
                    // Counted as sent before the call: a send that fails is not repeated (an MLS
                    // client may have queued it already) and shows up as lost instead.
                    next++;
                    sentSoFar = next;
                    long t = System.nanoTime();
                    tally.sent(k, t);
                    trace.sending(k);
                    try {
                        member.send(k);
                    } finally {
                        trace.sending(-1);
                    }
                    book.add("member send call", System.nanoTime() - t, 1);
                }
                long untilNext = next < mine.length ? t0 + settings.dueNanos(block, mine[next]) - System.nanoTime()
                        : MAX_WAIT.toNanos();
                long t = System.nanoTime();
                int n = member.step(Duration.ofNanos(Math.max(0, Math.min(MAX_WAIT.toNanos(), untilNext))));
                book.add("member step call", System.nanoTime() - t, n);
            } catch (TransportException e) {
                if (!e.retryable()) {
                    failure.compareAndSet(null, e);
                    return;
                }
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | Error e) {
                failure.compareAndSet(null, e);
                return;
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
