package org.mlsbridge.app.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Member clients killed with SIGKILL at random moments against a real server: two members run
 * as child JVMs ({@link MemberMain}) and are killed and started again on their databases while
 * everyone sends messages and asks for commits; the witness (the creator) and the room's bot run
 * in this JVM. Kills land anywhere: during start-up and KeyPackage publishing, catching up,
 * encrypting, sending, committing. Afterwards {@link Verdict} checks that nothing was lost or
 * received twice, that all members are in one epoch with one epoch authenticator and exporter,
 * and, from the wire, that no (epoch, leaf, generation) encrypted two messages.
 *
 * <p>{@code -Dfaults.kills=N} (default {@value #BOUNDED_KILLS}, the bounded run of the test
 * command), {@code -Dfaults.seed=S} (printed; the same seed makes the same decisions: kill delays,
 * who sends, who commits), {@code -Dfaults.network=xmpp|matrix}. scripts/faults.sh runs the long
 * version.
 */
class MemberKillTest {
    static final int BOUNDED_KILLS = 20;
    private static final List<String> MEMBERS = List.of("alice", "bob");

    @TempDir
    Path dir;

    @Test
    void membersKilledAtRandomMomentsLoseNothingAndReuseNoKey() throws Exception {
        long seed = Long.getLong("faults.seed", new SecureRandom().nextLong());
        int kills = Integer.getInteger("faults.kills", BOUNDED_KILLS);
        String network = System.getProperty("faults.network", "xmpp");
        String rerun = "-Dfaults.seed=" + seed + " -Dfaults.kills=" + kills + " -Dfaults.network=" + network;
        System.out.println("member kill test: " + rerun);
        long started = System.nanoTime();
        try (FaultNetwork n = network.equals("matrix") ? new MatrixNetwork() : new XmppNetwork();
                FaultWorld w = new FaultWorld(n, dir)) {
            String summary;
            try {
                summary = run(w, new Random(seed), kills);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("member kill test failed; re-run with " + rerun + ": " + e.getMessage()
                        + "\n" + w.logTails(), e);
            }
            System.out.printf("member kill test: %d kills in %d s (%s): %s%n", kills,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(), rerun, summary);
        }
    }

    private static String run(FaultWorld w, Random rng, int kills) throws Exception {
        Conversation conv = new Conversation();
        conv.member(FaultWorld.WITNESS, w.network.user(FaultWorld.WITNESS).value());
        for (String name : MEMBERS) {
            w.addChild(name, w.network.port());
            conv.member(name, w.network.user(name).value());
        }
        w.until(() -> w.witness.groupMembers(w.room).size() == 1 + MEMBERS.size(), Duration.ofSeconds(120),
                "everyone in the group");
        Map<String, KillPoint> killAt = new LinkedHashMap<>();
        for (String name : MEMBERS) {
            killAt.put(name, KillPoint.random(rng));
        }
        long startUps = 0;
        int started = 0;
        long nextAction = System.nanoTime();
        int seq = 0;
        int done = 0;
        int beforeReady = 0;
        while (done < kills) {
            w.step();
            for (MemberProcess p : w.children.values()) {
                for (String l : p.drain()) {
                    conv.answer(l);
                    if (l.startsWith("startup ")) {
                        System.out.println(l);
                    }
                }
            }
            long now = System.nanoTime();
            if (now >= nextAction) {
                nextAction = now + Duration.ofMillis(40 + rng.nextInt(200)).toNanos();
                int r = rng.nextInt(100);
                String member = MEMBERS.get(rng.nextInt(MEMBERS.size()));
                if (r < 70 && w.children.get(member).ready()) {
                    String text = member + "-" + (++seq);
                    conv.asked(member, text);
                    w.children.get(member).command("send " + text);
                } else if (r < 85) { // also when the chosen member is not up: the witness speaks
                    String text = FaultWorld.WITNESS + "-" + (++seq);
                    conv.asked(FaultWorld.WITNESS, text);
                    witnessSend(w, conv, text);
                } else if (r < 93) {
                    w.children.get(member).command("commit");
                } else {
                    w.witness.requestCommit(w.room);
                }
            }
            for (String name : MEMBERS) {
                MemberProcess p = w.children.get(name);
                if (killAt.get(name).due(p)) {
                    beforeReady += p.ready() ? 0 : 1;
                    if (p.ready()) {
                        startUps += p.startUp().toMillis();
                        started++;
                    }
                    p.kill();
                    done++;
                    Verdict.collect(conv, p);
                    w.startChild(name);
                    killAt.put(name, KillPoint.random(rng));
                }
            }
        }
        return beforeReady + " kills before the member was up, start-up " + (started == 0 ? "-" : startUps / started)
                + " ms on average; " + Verdict.check(w, conv,
                Duration.ofSeconds(240));
    }

    /**
     * When an incarnation dies: one in five at a random time after its start (often before it is
     * up: while it signs in, publishes KeyPackages, enters the room, catches up), the others at a
     * random time after it is up (while it sends, receives and commits).
     */
    private record KillPoint(boolean fromStart, Duration after) {
        static KillPoint random(Random rng) {
            return rng.nextInt(5) == 0 ? new KillPoint(true, Duration.ofMillis(rng.nextInt(2_500)))
                    : new KillPoint(false, Duration.ofMillis(rng.nextInt(2_500)));
        }

        boolean due(MemberProcess p) {
            return fromStart ? p.age().compareTo(after) >= 0 : p.ready() && p.sinceReady().compareTo(after) >= 0;
        }
    }

    /** The in-process member sends; a network failure after the message was stored still counts as sent. */
    static void witnessSend(FaultWorld w, Conversation conv, String text) throws Exception {
        long before = w.witness.counters().messagesOut();
        try {
            boolean sent = w.witness.send(w.room, Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))).isPresent();
            conv.answer((sent ? "sent " : "notyet ") + text);
        } catch (TransportException e) {
            if (!e.retryable()) {
                throw e;
            }
            conv.answer((w.witness.counters().messagesOut() > before ? "sent " : "failed ") + text);
        }
    }
}
