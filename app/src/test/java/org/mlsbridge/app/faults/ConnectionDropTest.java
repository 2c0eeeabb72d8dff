package org.mlsbridge.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.servers.CuttingProxy;

/**
 * Connections cut under load: two members reach the real server through a loopback proxy
 * ({@link CuttingProxy}) that resets their TCP connections at random moments while everyone
 * sends and commits; the servers themselves stay up. Afterwards {@link Verdict}: nothing lost or
 * twice, one group state, no key reused. {@code -Dfaults.seed=S} repeats a run's decisions.
 */
class ConnectionDropTest {
    /** Cuts of both members' connections at once ({@code -Dfaults.cuts=N}). */
    private static final int CUTS = Integer.getInteger("faults.cuts", 20);

    @TempDir
    Path dir;

    @Test
    void xmppConnectionsCutUnderLoad() throws Exception {
        try (FaultNetwork n = new XmppNetwork()) {
            run(n);
        }
    }

    @Test
    void matrixConnectionsCutUnderLoad() throws Exception {
        try (FaultNetwork n = new MatrixNetwork()) {
            run(n);
        }
    }

    private void run(FaultNetwork n) throws Exception {
        long seed = Long.getLong("faults.seed", new SecureRandom().nextLong());
        String rerun = "-Dfaults.seed=" + seed;
        System.out.println("connection drop test (" + n.name() + "): " + rerun);
        Random rng = new Random(seed);
        long started = System.nanoTime();
        try (FaultWorld w = new FaultWorld(n, dir); CuttingProxy proxy = new CuttingProxy(n.port())) {
            try {
                for (String name : new String[] {"alice", "bob"}) {
                    w.addInProcess(name, dir, proxy.port());
                }
                w.untilInProcessMembersInGroup();
                Conversation conv = new Conversation();
                Chatter chatter = new Chatter(w, conv, rng);
                long nextCut = System.nanoTime() + cutDelay(rng);
                int cuts = 0;
                while (cuts < CUTS) {
                    chatter.turn();
                    if (System.nanoTime() >= nextCut) {
                        cuts += proxy.severAll() > 0 ? 1 : 0;
                        nextCut = System.nanoTime() + cutDelay(rng);
                    }
                }
                String summary = Verdict.check(w, conv, Duration.ofSeconds(180));
                assertThat(proxy.severed()).isGreaterThanOrEqualTo(CUTS);
                System.out.printf("connection drop test (%s): %d cuts, %d connections reset, in %d s (%s): %s%n",
                        n.name(), cuts, proxy.severed(), Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                        rerun, summary);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("connection drop test (" + n.name() + ") failed; re-run with " + rerun
                        + ": " + e.getMessage(), e);
            }
        }
    }

    private static long cutDelay(Random rng) {
        return Duration.ofMillis(300 + rng.nextInt(1_200)).toNanos();
    }
}
