package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;

/** The bridge restarted from its SQLite file loses and repeats nothing, and its files hold no secret. */
class BridgeRestartTest {
    @TempDir
    Path dir;

    @Test
    void relayRestartedMidStreamLosesAndRepeatsNothing() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            p.creator(UserId.xmpp("alice@example.org"));
            p.join(UserId.xmpp("bob@example.org"));
            p.join(UserId.matrix("@carol:example.org"));
            p.join(UserId.matrix("@dave:example.org"));
            p.settle();
            Random rnd = new Random(11);
            Map<UserId, List<String>> expected = new HashMap<>();
            List<MemberClient> all = List.copyOf(p.members.values());
            int restarts = 0;
            for (int i = 0; i < 30; i++) {
                MemberClient sender = all.get(rnd.nextInt(all.size()));
                String text = sender.self() + " #" + i;
                sender.send(BridgedPair.roomOf(sender.self()), BridgedPair.text(text)).orElseThrow();
                for (MemberClient c : all) {
                    if (c != sender) {
                        expected.computeIfAbsent(c.self(), u -> new ArrayList<>()).add(text);
                    }
                }
                if (rnd.nextInt(3) == 0) {
                    // the Matrix server keeps the bridge's post but the acknowledgement is lost
                    p.matrix.dropNextAcknowledgement(BridgedPair.BRIDGE_MATRIX);
                }
                try {
                    p.relay.step(1 + rnd.nextInt(2), Duration.ZERO);
                } catch (TransportException e) {
                    assertThat(e.retryable()).isTrue();
                }
                if (rnd.nextInt(3) == 0) {
                    p.restartRelay();
                    restarts++;
                }
                for (MemberClient c : all) {
                    c.step(500, Duration.ZERO);
                }
            }
            p.settle();
            Map<UserId, List<String>> got = p.drainReceived();
            for (MemberClient c : all) {
                assertThat(got.get(c.self())).as(c.self().toString())
                        .containsExactlyInAnyOrderElementsOf(expected.get(c.self()));
            }
            assertThat(restarts).isPositive();
        }
    }

    @Test
    void relayRestartedWithPostsInFlightLosesAndRepeatsNothing() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            p.creator(UserId.xmpp("alice@example.org"));
            p.join(UserId.xmpp("bob@example.org"));
            p.join(UserId.matrix("@carol:example.org"));
            p.join(UserId.matrix("@dave:example.org"));
            p.settle();
            Random rnd = new Random(23);
            Map<UserId, List<String>> expected = new HashMap<>();
            List<MemberClient> all = List.copyOf(p.members.values());
            int failedTurns = 0;
            int restarts = 0;
            for (int round = 0; round < 12; round++) {
                // several messages from both sides, so each relay turn has many posts in flight
                for (int j = 0; j < 6; j++) {
                    MemberClient sender = all.get(rnd.nextInt(all.size()));
                    String text = sender.self() + " #" + round + "." + j;
                    sender.send(BridgedPair.roomOf(sender.self()), BridgedPair.text(text)).orElseThrow();
                    for (MemberClient c : all) {
                        if (c != sender) {
                            expected.computeIfAbsent(c.self(), u -> new ArrayList<>()).add(text);
                        }
                    }
                }
                if (rnd.nextBoolean()) {
                    p.matrix.dropNextAcknowledgement(BridgedPair.BRIDGE_MATRIX);
                }
                if (rnd.nextBoolean()) {
                    p.xmpp.dropNextAcknowledgement(BridgedPair.BRIDGE_XMPP);
                }
                try {
                    p.relay.step(500, Duration.ZERO);
                } catch (TransportException e) {
                    assertThat(e.retryable()).isTrue();
                    failedTurns++;
                }
                if (rnd.nextInt(3) == 0) {
                    p.restartRelay();
                    restarts++;
                }
                for (MemberClient c : all) {
                    c.step(500, Duration.ZERO);
                }
            }
            p.settle();
            Map<UserId, List<String>> got = p.drainReceived();
            for (MemberClient c : all) {
                assertThat(got.get(c.self())).as(c.self().toString())
                        .containsExactlyInAnyOrderElementsOf(expected.get(c.self()));
            }
            assertThat(failedTurns).isPositive();
            assertThat(restarts).isPositive();
        }
    }

    @Test
    void theBridgeFilesHoldNoPlaintextAndNoGroupSecret() throws Exception {
        String secretText = "the eagle lands at midnight";
        try (BridgedPair p = new BridgedPair(dir)) {
            MemberClient alice = p.creator(UserId.xmpp("alice@example.org"));
            p.join(UserId.matrix("@carol:example.org"));
            p.settle();
            alice.send(BridgedPair.XMPP_ROOM, BridgedPair.text(secretText)).orElseThrow();
            p.settle();
            assertThat(p.drainReceived().get(UserId.matrix("@carol:example.org"))).containsExactly(secretText);
        }
        // a member's file holds its group state: the check below can see one
        assertThat(groupStates(p(dir, "xmpp:alice@example.org"))).isPositive();
        for (String bridgeFile : List.of("relay", "bot")) {
            Path db = p(dir, bridgeFile);
            assertThat(groupStates(db)).as(bridgeFile + ": MLS group states").isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM mls_resumption_psk")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM mls_external_psk")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM inbox")).isZero();
            for (Path f : List.of(db, Path.of(db + "-wal"))) {
                if (Files.exists(f)) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(secretText);
                }
            }
        }
    }

    private static Path p(Path dir, String name) {
        return dir.resolve(name.replaceAll("[^A-Za-z0-9@._-]", "_") + ".db");
    }

    /** Group-state rows other than the manager's own records (stored as rows named manager:...). */
    private static long groupStates(Path db) throws Exception {
        long n = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rs = c.createStatement().executeQuery("SELECT group_id FROM mls_group_state")) {
            while (rs.next()) {
                if (!new String(rs.getBytes(1), StandardCharsets.ISO_8859_1).startsWith("manager:")) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
