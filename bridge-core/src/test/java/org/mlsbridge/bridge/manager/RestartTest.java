package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;

/**
 * Members and the bot are killed and restarted mid-stream (after handling part of a batch, and
 * between a send the server accepted and its acknowledgement): nothing is lost, nothing is
 * delivered or sent twice.
 */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void killAndRestartMembersAndBotMidStream() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.creator("alice");
            for (String n : List.of("bob", "carol", "dave")) {
                h.net.join(Harness.ROOM, h.member(n).self());
            }
            h.settle();
            Random rnd = new Random(7);
            Map<String, Set<UserId>> audience = new HashMap<>();
            Map<UserId, Map<String, Integer>> reads = new HashMap<>();
            int restarts = 0;
            for (int i = 0; i < 40; i++) {
                List<MemberClient> present = h.members.values().stream()
                        .filter(c -> c.epoch(Harness.ROOM).isPresent()).toList();
                MemberClient sender = present.get(rnd.nextInt(present.size()));
                String text = sender.self() + " #" + i;
                if (rnd.nextInt(4) == 0) {
                    // the server takes the message but the acknowledgement is lost: the client dies
                    h.net.dropNextAcknowledgement(sender.self());
                }
                try {
                    var r = sender.send(Harness.ROOM, Harness.text(text)).orElseThrow();
                    record(audience, text, r.members(), sender.self());
                } catch (TransportException e) {
                    assertThat(e.retryable()).isTrue();
                    // it was encrypted and queued before the failure; record who can read it
                    record(audience, text, sender.groupMembers(Harness.ROOM), sender.self());
                    h.restart(sender);
                    restarts++;
                }
                // handle part of what arrived, then kill someone
                MemberClient victim = h.members.values().stream().skip(rnd.nextInt(h.members.size())).findFirst()
                        .orElseThrow();
                victim.step(1 + rnd.nextInt(3), Duration.ZERO);
                h.bot.step(1 + rnd.nextInt(3), Duration.ZERO);
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        h.restart(victim);
                        restarts++;
                    }
                    case 1 -> {
                        h.restartBot();
                        restarts++;
                    }
                    default -> { }
                }
                if (i == 10) {
                    h.net.join(Harness.ROOM, h.member("erin").self());
                }
                if (i == 25) {
                    h.net.leave(Harness.ROOM, Harness.user("bob"));
                }
                if (rnd.nextInt(3) == 0) {
                    h.settle();
                }
                collect(h, reads);
            }
            h.settle();
            collect(h, reads);
            assertThat(restarts).isGreaterThan(10);

            // Nothing sent twice: every room message is distinct.
            List<RoomEvent.RoomMessage> log = h.net.roomLog(Harness.ROOM);
            assertThat(log.stream().map(RoomEvent.RoomMessage::payload).distinct().count()).isEqualTo(log.size());
            // Nothing lost or duplicated for the application.
            for (Map.Entry<String, Set<UserId>> e : audience.entrySet()) {
                for (UserId u : e.getValue()) {
                    int n = reads.getOrDefault(u, Map.of()).getOrDefault(e.getKey(), 0);
                    if (u.equals(Harness.user("bob"))) {
                        assertThat(n).isLessThanOrEqualTo(1); // removed at some point: read up to then
                    } else {
                        assertThat(n).as(u + " read \"" + e.getKey() + "\"").isEqualTo(1);
                    }
                }
            }
            for (Map<String, Integer> m : reads.values()) {
                assertThat(m.values()).allMatch(n -> n == 1);
            }
            MemberClient alice = h.members.get(Harness.user("alice"));
            for (MemberClient c : h.members.values()) {
                if (!c.self().equals(Harness.user("bob"))) {
                    assertThat(c.epochAuthenticator(Harness.ROOM)).isEqualTo(alice.epochAuthenticator(Harness.ROOM));
                    assertThat(c.counters().decryptionFailures()).isZero();
                }
            }
            assertThat(h.bot.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(Harness.user("alice"),
                    Harness.user("carol"), Harness.user("dave"), Harness.user("erin"));
        }
    }

    private static void record(Map<String, Set<UserId>> audience, String text, List<UserId> members, UserId sender) {
        Set<UserId> to = new HashSet<>(members);
        to.remove(sender);
        audience.put(text, to);
    }

    private static void collect(Harness h, Map<UserId, Map<String, Integer>> reads) {
        for (MemberClient c : h.members.values()) {
            for (ReceivedMessage m : c.received()) {
                reads.computeIfAbsent(c.self(), x -> new HashMap<>()).merge(Harness.text(m.text()), 1, Integer::sum);
                c.acknowledge(m);
            }
        }
    }
}
