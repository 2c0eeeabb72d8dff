package org.mlsbridge.app.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.bridge.RealServersBridge.Member;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.matrix.PlainClient;
import org.mlsbridge.matrix.SynapseServer;
import org.mlsbridge.xmpp.ProsodyServer;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * The bridge process in member mode against a real Prosody and Synapse, gatewaying users without
 * an MLS client both ways: one such user on each network (Lee on XMPP, Mia on Matrix, who write
 * and read plain room messages) and one MLS member on each (Amy, Cleo). Every message reaches
 * everyone it should once, with its true sender; nobody reads an echo of their own message;
 * nothing loops; a SIGKILL of the bridge right after legacy messages were posted, and a restart,
 * gateway each of them once.
 */
class LegacyGatewayEndToEndTest {
    private static final Duration T = Duration.ofSeconds(90);
    private static final String LABEL = "[via bridge, not end-to-end encrypted] ";
    private static ProsodyServer prosody;
    private static SynapseServer synapse;

    @TempDir
    Path dir;

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

    /** Lee's view of the XMPP room: the plain messages his client shows, {@code sender: body}. */
    private static final class XmppReader {
        final XmppTransport t;
        final List<String> shown = new ArrayList<>();
        Optional<Cursor> cursor = Optional.empty();

        XmppReader(XmppTransport t) {
            this.t = t;
        }

        List<String> read() throws Exception {
            while (true) {
                List<Delivery> batch = t.poll(cursor, 100, Duration.ZERO);
                if (batch.isEmpty()) {
                    return shown;
                }
                for (Delivery d : batch) {
                    cursor = Optional.of(d.cursor());
                    if (d.event() instanceof RoomEvent.PlainMessage p) {
                        shown.add(p.sender().address() + ": " + p.text());
                    }
                }
            }
        }
    }

    /** Mia's view of the Matrix room: the text messages and notices her client shows, {@code sender: body}. */
    private static List<String> shown(PlainClient c, RealServersBridge w) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonObject e : c.events(w.matrixRoom)) {
            if ("m.room.message".equals(e.getString("type")) && e.getValue("content") instanceof JsonObject content
                    && content.getValue("body") instanceof String body) {
                out.add(e.getString("sender") + ": " + body);
            }
        }
        return out;
    }

    private static boolean logged(BridgeProcess p, String text) {
        try {
            return p.output().contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void legacyUsersOnBothNetworksReadEveryoneOnceWithTheTrueSenderAndNothingLoops() throws Exception {
        try (RealServersBridge w = new RealServersBridge(prosody, synapse, dir, "gw", "member")) {
            BridgeProcess bridge = w.startBridge();
            try {
                // the users without MLS enter first, so the bot knows them before the members' Adds
                XmppReader lee = new XmppReader(w.xmppLegacy("lee"));
                PlainClient mia = w.matrixLegacy("mia");
                Member amy = w.xmppMember("amy");
                Member cleo = w.matrixMember("cleo");
                List<Member> all = List.of(amy, cleo);
                BridgeProcess started = bridge;
                w.pumpUntil("members in the bot's group, Lee and Mia known as users without MLS",
                        () -> all.stream().allMatch(m -> w.inGroup(m, 3))
                                && logged(started, "user=xmpp:lee@" + ProsodyServer.DOMAIN)
                                && logged(started, "user=matrix:u/mia:" + SynapseServer.SERVER_NAME), T);

                String leeAddr = "lee@" + ProsodyServer.DOMAIN;
                String miaAddr = "@mia:" + SynapseServer.SERVER_NAME;
                String amyAddr = "amy@" + ProsodyServer.DOMAIN;
                String cleoAddr = "@cleo:" + SynapseServer.SERVER_NAME;
                String botXmpp = w.bridgeXmpp.address();
                String botMatrix = w.bridgeMatrix.address();

                w.send(amy, "amy says hi");
                w.send(cleo, "cleo says hi");
                lee.t.sendTextToRoom(w.xmppRoom, new ClientMessageId("lee-1"), "lee says hi");
                mia.sendText(w.matrixRoom, "mia says hi", "mia-1");
                // the bridge dies at once and starts again on its database
                bridge.kill();
                bridge = w.startBridge();
                lee.t.sendTextToRoom(w.xmppRoom, new ClientMessageId("lee-2"), "lee again");
                mia.sendText(w.matrixRoom, "mia again", "mia-2");

                List<String> forLee = List.of(leeAddr + ": lee says hi", leeAddr + ": lee again",
                        botXmpp + ": " + LABEL + amyAddr + ": amy says hi",
                        botXmpp + ": " + LABEL + cleoAddr + ": cleo says hi",
                        botXmpp + ": " + LABEL + miaAddr + ": mia says hi",
                        botXmpp + ": " + LABEL + miaAddr + ": mia again");
                List<String> forMia = List.of(miaAddr + ": mia says hi", miaAddr + ": mia again",
                        botMatrix + ": " + LABEL + amyAddr + ": amy says hi",
                        botMatrix + ": " + LABEL + cleoAddr + ": cleo says hi",
                        botMatrix + ": " + LABEL + leeAddr + ": lee says hi",
                        botMatrix + ": " + LABEL + leeAddr + ": lee again");
                try {
                    w.pumpUntil("every message read by everyone it should reach", () -> {
                        try {
                            return amy.readFrom.size() >= 5 && cleo.readFrom.size() >= 5
                                    && lee.read().size() >= forLee.size() && shown(mia, w).size() >= forMia.size();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, T);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n  lee (XMPP, no MLS) read=" + lee.read()
                            + "\n  mia (Matrix, no MLS) shown=" + shown(mia, w), e);
                }
                // a quiet while: anything looping or repeated would show up by now
                long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                w.pumpUntil("a quiet while", () -> System.nanoTime() > end, T);

                assertThat(amy.readFrom).containsExactlyInAnyOrder(cleoAddr + ": cleo says hi",
                        leeAddr + ": lee says hi (NOT E2EE)", leeAddr + ": lee again (NOT E2EE)",
                        miaAddr + ": mia says hi (NOT E2EE)", miaAddr + ": mia again (NOT E2EE)");
                assertThat(cleo.readFrom).containsExactlyInAnyOrder(amyAddr + ": amy says hi",
                        leeAddr + ": lee says hi (NOT E2EE)", leeAddr + ": lee again (NOT E2EE)",
                        miaAddr + ": mia says hi (NOT E2EE)", miaAddr + ": mia again (NOT E2EE)");
                assertThat(lee.read()).containsExactlyInAnyOrderElementsOf(forLee);
                assertThat(shown(mia, w)).containsExactlyInAnyOrderElementsOf(forMia);
                for (Member m : all) {
                    assertThat(m.client.counters().droppedByReason()).as(m.user.toString()).isEmpty();
                    assertThat(m.client.counters().plainMessagesIgnored()).as(m.user.toString()).isPositive();
                }
                assertThat(bridge.terminate(Duration.ofSeconds(30))).isZero();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- bridge log, every start:\n" + Files.readString(dir.resolve("bridge.log")), e);
            } finally {
                bridge.close();
            }
        }
    }
}
