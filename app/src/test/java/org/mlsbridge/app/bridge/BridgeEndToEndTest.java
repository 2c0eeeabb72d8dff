package org.mlsbridge.app.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.bridge.RealServersBridge.Member;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.matrix.SynapseServer;
import org.mlsbridge.xmpp.ProsodyServer;

/**
 * The bridge command end to end: a real Prosody and a real Synapse on loopback, the bridge as a
 * separate process on a generated configuration, two members on each network in one MLS group.
 * Messages both ways; SIGTERM (exit 0) and a restart; a Matrix member leaves and reads nothing
 * after; an XMPP member joins later and reads from then on; SIGKILL mid-stream and a restart lose
 * and repeat nothing; the bridge's database holds no plaintext and no group secret.
 */
class BridgeEndToEndTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static ProsodyServer prosody;
    private static SynapseServer synapse;

    @TempDir
    Path dir;

    private final List<String> sent = new ArrayList<>();
    private final Map<UserId, List<String>> expected = new HashMap<>();

    @BeforeAll
    static void startServers() throws Exception {
        prosody = ProsodyServer.start();
        synapse = SynapseServer.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (prosody != null) {
            prosody.close();
        }
        if (synapse != null) {
            synapse.close();
        }
    }

    @Test
    void oneGroupAcrossXmppAndMatrixThroughTheBridgeProcess() throws Exception {
        try (RealServersBridge w = new RealServersBridge(prosody, synapse, dir)) {
            BridgeProcess bridge = w.startBridge();
            try {
                // the group starts on the Matrix side (the in-process tests start it on both sides)
                Member carol = w.matrixMember("carol");
                carol.client.createGroup(carol.room, List.of(carol.client.externalSenderOf(
                        w.bridgeMatrix)));
                Member alice = w.xmppMember("alice");
                Member bob = w.xmppMember("bob");
                Member dave = w.matrixMember("dave");
                List<Member> all = List.of(alice, bob, carol, dave);
                w.pumpUntil("four members in the group", () -> all.stream().allMatch(m -> w.inGroup(m, 4)), T);

                // messages both ways, read by all
                for (Member m : all) {
                    send(w, m, "hello from " + m.user, all);
                }
                awaitExpected(w, all, "everyone reads the three others");
                assertMetrics(w);

                // SIGTERM: the bridge finishes the current event and exits 0; a restart goes on
                assertThat(bridge.terminate(Duration.ofSeconds(30))).isZero();
                assertThat(bridge.output()).contains("bridge: stopped:");
                send(w, carol, "while the bridge is down", all);
                bridge = w.startBridge();
                send(w, bob, "after the restart", all);
                awaitExpected(w, all, "the messages around the SIGTERM");

                // a Matrix member leaves: removed from the group, reads nothing after
                w.leaveMatrix(dave);
                List<Member> stay = List.of(alice, bob, carol);
                w.pumpUntil("dave removed", () -> stay.stream().allMatch(m -> w.inGroup(m, 3)), T);
                send(w, alice, "dave is gone", stay);
                awaitExpected(w, stay, "the message after dave left");

                // an XMPP member joins later and reads from then on; so does a Matrix user of the chat client
                Member erin = w.xmppMember("erin");
                List<Member> now = List.of(alice, bob, carol, erin);
                try (ChatMember frank = w.matrixChatMember("frank")) {
                    w.pumpUntil("erin and frank in the group", () -> now.stream().allMatch(m -> w.inGroup(m, 5))
                            && frank.saw("*** in the group"), T);
                    send(w, carol, "welcome erin", now);
                    awaitExpected(w, now, "erin's first message");
                    assertThat(erin.read).containsExactly("welcome erin");
                    w.pumpUntil("frank reads it", () -> frank.saw("> welcome erin"), T);
                    frank.type("hi from the chat client");
                    for (Member m : now) {
                        expected.get(m.user).add("hi from the chat client");
                    }
                    sent.add("hi from the chat client");
                    awaitExpected(w, now, "the chat client's message");
                    assertThat(frank.lines).noneMatch(l -> l.startsWith("! "));
                }

                // SIGKILL mid-stream: messages in flight while the bridge dies, then a restart
                for (int i = 0; i < 8; i++) {
                    send(w, now.get(i % now.size()), "burst " + i, now);
                    if (i == 3) {
                        bridge.kill();
                    }
                    w.pumpUntil("a turn", () -> true, T);
                }
                bridge = w.startBridge();
                awaitExpected(w, now, "every message of the burst, once");
                w.pumpUntil("a quiet while (no late duplicates)", pause(Duration.ofSeconds(2)), T);
                for (Member m : now) {
                    assertThat(m.read).as(m.user + " read each message once").containsExactlyInAnyOrderElementsOf(
                            expected.get(m.user));
                }
                assertThat(dave.read).as("dave read nothing after he left").doesNotContain("dave is gone",
                        "welcome erin", "burst 0");

                assertThat(bridge.terminate(Duration.ofSeconds(30))).isZero();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- bridge log:\n" + bridge.output(), e);
            } finally {
                bridge.close();
            }
            assertNoPlaintextNorGroupSecret(w.database());
        }
    }

    @Test
    void memberModeSaysSoAndBridgesTheGroupItCreates() throws Exception {
        try (RealServersBridge w = new RealServersBridge(prosody, synapse, dir, "mm", "member")) {
            BridgeProcess bridge = w.startBridge();
            try {
                assertThat(bridge.output()).contains("WARNING: bot-mode member", "NOT end-to-end encrypted");
                Member amy = w.xmppMember("amy");
                Member cleo = w.matrixMember("cleo");
                List<Member> all = List.of(amy, cleo);
                // the bot created the group and is in it: two members and the bridge
                w.pumpUntil("both in the bot's group", () -> all.stream().allMatch(m -> w.inGroup(m, 3)), T);
                send(w, amy, "member mode from xmpp", all);
                send(w, cleo, "member mode from matrix", all);
                awaitExpected(w, all, "both messages across");
                assertThat(bridge.terminate(Duration.ofSeconds(30))).isZero();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- bridge log:\n" + bridge.output(), e);
            } finally {
                bridge.close();
            }
        }
    }

    private void send(RealServersBridge w, Member from, String text, List<Member> audience) throws Exception {
        w.send(from, text);
        sent.add(text);
        for (Member m : audience) {
            if (m != from) {
                expected.computeIfAbsent(m.user, u -> new ArrayList<>()).add(text);
            }
        }
    }

    private void awaitExpected(RealServersBridge w, List<Member> members, String what) throws Exception {
        w.pumpUntil(what, () -> members.stream().allMatch(m -> m.read.size() >= expected.getOrDefault(m.user,
                List.of()).size()), T);
        for (Member m : members) {
            assertThat(m.read).as(m.user.toString()).containsExactlyInAnyOrderElementsOf(expected.getOrDefault(m.user,
                    List.of()));
        }
    }

    private static java.util.function.BooleanSupplier pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        return () -> System.nanoTime() > end;
    }

    private static void assertMetrics(RealServersBridge w) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + w.metricsPort());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("mlsbridge_messages_relayed_total", "mlsbridge_handshakes_sequenced_total",
                "mlsbridge_welcomes_forwarded_total", "mlsbridge_room_epoch", "mlsbridge_room_members",
                "mlsbridge_dropped_total");
        assertThat(metrics).containsPattern("mlsbridge_messages_relayed_total\\{[^}]*\\} [1-9]");
        assertThat(metrics).containsPattern("mlsbridge_room_members\\{[^}]*room=\"" + w.xmppRoom.value()
                + "\"[^}]*\\} 4");
        for (String network : List.of("xmpp", "matrix")) { // the level as the server reported it, read at start
            assertThat(metrics).containsPattern("mlsbridge_bridge_key_packages_available\\{network=\"" + network
                    + "\"[^}]*\\} [0-9]");
        }
    }

    /** No sent text in the database's bytes (and its WAL), no MLS group state, no PSK. */
    private void assertNoPlaintextNorGroupSecret(Path db) throws Exception {
        for (Path f : List.of(db, Path.of(db + "-wal"))) {
            if (Files.exists(f)) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String text : sent) {
                    assertThat(bytes).as(f + " holds no sent text").doesNotContain(text);
                }
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            long groupStates = 0;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT group_id FROM mls_group_state")) {
                while (rs.next()) {
                    // the manager's own records are rows named manager:...; a group's state is any other row
                    if (!new String(rs.getBytes(1), StandardCharsets.ISO_8859_1).startsWith("manager:")) {
                        groupStates++;
                    }
                }
            }
            assertThat(groupStates).as("MLS group states in the bridge's database").isZero();
            for (String table : List.of("mls_resumption_psk", "mls_external_psk", "inbox")) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                    assertThat(rs.getLong(1)).as(table).isZero();
                }
            }
        }
    }
}
