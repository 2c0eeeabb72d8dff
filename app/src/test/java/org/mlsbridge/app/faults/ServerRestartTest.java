package org.mlsbridge.app.faults;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server stopped and started again in the middle of a conversation: Prosody (SIGTERM) and
 * Synapse (SIGKILL), {@code -Dfaults.restarts=N} times each (default 1), each time at a random
 * moment while its members send and commit, down for a random while during which they go on
 * trying. The members reconnect and catch up by
 * themselves; afterwards {@link Verdict}: nothing lost or twice, one group state, no key reused.
 * {@code -Dfaults.seed=S} repeats a run's decisions.
 */
class ServerRestartTest {
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
                w.until(() -> w.witness.groupMembers(w.room).size() == 3
                        && w.inProcess.values().stream().allMatch(c -> c.epochAuthenticator(w.room)
                                .equals(w.witness.epochAuthenticator(w.room))), Duration.ofSeconds(120),
                        "everyone in the group");
                Conversation conv = new Conversation();
                Chatter chatter = new Chatter(w, conv, rng);
                for (int r = 0; r < restarts; r++) {
                    talkFor(chatter, Duration.ofMillis(1_000 + rng.nextInt(2_000)));
                    n.stopServer();
                    talkFor(chatter, Duration.ofMillis(500 + rng.nextInt(1_500))); // they keep trying meanwhile
                    n.startServer();
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
