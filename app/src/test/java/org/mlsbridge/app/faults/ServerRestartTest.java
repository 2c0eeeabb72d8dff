package org.mlsbridge.app.faults;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server stopped and started again in the middle of a conversation: Prosody (SIGTERM) and
 * Synapse (SIGKILL), {@code -Dfaults.restarts=N} times each (default 1), each time at a random
 * moment while its members send and commit, down for a random while (0.5 to 2 s; with more than
 * one restart the last one for {@value #LONG_OUTAGE_SECONDS} s, longer than a call waits) during
 * which they go on trying. The members reconnect and catch up by themselves; afterwards
 * {@link Verdict}: nothing lost or twice, one group state, no key reused.
 * {@code -Dfaults.seed=S} repeats a run's decisions.
 */
class ServerRestartTest {
    /** Longer than a call waits for the server: XMPP's reply timeout (10 s), Matrix's retries (up to about 26 s). */
    private static final int LONG_OUTAGE_SECONDS = 40;
    private static final Duration LONG_OUTAGE = Duration.ofSeconds(LONG_OUTAGE_SECONDS);

    @TempDir
    Path dir;

    @Test
    void prosodyRestartedMidConversation() throws Exception {
        try (FaultNetwork n = new XmppNetwork()) {
            run(n, Integer.getInteger("faults.restarts", 1));
        }
    }

    @Test
    void synapseKilledAndRestartedMidConversation() throws Exception {
        try (FaultNetwork n = new MatrixNetwork()) {
            run(n, Integer.getInteger("faults.restarts", 1));
        }
    }

    private void run(FaultNetwork n, int restarts) throws Exception {
        long seed = Long.getLong("faults.seed", new SecureRandom().nextLong());
        String rerun = "-Dfaults.seed=" + seed;
        System.out.println("server restart test (" + n.name() + "): " + rerun);
        Random rng = new Random(seed);
        long started = System.nanoTime();
        try (FaultWorld w = new FaultWorld(n, dir)) {
            try {
                for (String name : new String[] {"alice", "bob"}) {
                    w.addInProcess(name, dir, n.port());
                }
                w.untilInProcessMembersInGroup();
                Conversation conv = new Conversation();
                Chatter chatter = new Chatter(w, conv, rng);
                for (int r = 0; r < restarts; r++) {
                    talkFor(chatter, Duration.ofMillis(1_000 + rng.nextInt(2_000)));
                    n.stopServer();
                    long stopped = System.nanoTime();
                    Duration planned = Duration.ofMillis(500 + rng.nextInt(1_500));
                    // In a longer run the last outage outlasts a call's own retries, so calls give
                    // up, and what they were sending goes out again once the server is back.
                    Duration down = restarts > 1 && r == restarts - 1 ? LONG_OUTAGE : planned;
                    // The server comes back on time, on a thread of its own, not when a turn
                    // happens to end: a member's call blocks while the server is away (retrying,
                    // waiting for a reconnect) and must see the server come back from there.
                    CompletableFuture<Long> back = CompletableFuture.supplyAsync(() -> {
                        try {
                            Thread.sleep(down);
                            n.startServer();
                            return System.nanoTime();
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    });
                    talkFor(chatter, down); // they keep trying meanwhile
                    long up = back.get(5, TimeUnit.MINUTES);
                    long turnsAfter = System.nanoTime();
                    System.out.printf("server restart test (%s): restart %d: away %d ms (planned %d ms), "
                            + "members' turns ended %d ms after it was back%n", n.name(), r + 1,
                            Duration.ofNanos(up - stopped).toMillis(), down.toMillis(),
                            Duration.ofNanos(Math.max(0, turnsAfter - up)).toMillis());
                }
                talkFor(chatter, Duration.ofSeconds(2));
                String summary = Verdict.check(w, conv, Duration.ofSeconds(180));
                System.out.printf("server restart test (%s): %d restarts in %d s, %d retryable failures seen (%s): "
                        + "%s%n", n.name(), restarts, Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                        w.retryableFailures, rerun, summary);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("server restart test (" + n.name() + ") failed; re-run with " + rerun
                        + ": " + e.getMessage(), e);
            }
        }
    }

    private static void talkFor(Chatter chatter, Duration d) throws Exception {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            chatter.turn();
        }
    }
}
