package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.DropReason;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The bridge in member mode, wired as the bridge command wires it (the bot is the bridge's XMPP
 * account and a member): users without an MLS client on either network are gatewayed both ways,
 * each message read once by everyone it should reach, nothing echoed or looping.
 */
class MemberModeBridgeTest {
    private static final UserId ALICE = UserId.xmpp("alice@example.org");
    private static final UserId CAROL = UserId.matrix("@carol:example.org");
    private static final UserId LEE = UserId.xmpp("lee@example.org");
    private static final UserId MIA = UserId.matrix("@mia:example.org");
    private static final String LABEL = "[via bridge, not end-to-end encrypted] ";

    @TempDir
    Path dir;

    private SharedAccountBridge b;
    private MemberClient alice;
    private MemberClient carol;

    /** Alice (XMPP) and Carol (Matrix) run MLS; Lee (XMPP) and, if asked, Mia (Matrix) do not. */
    private void start(boolean withMia) throws Exception {
        b = new SharedAccountBridge(dir, SharedAccountBridge.Mode.MEMBER);
        b.settle();
        alice = b.join(ALICE);
        carol = b.join(CAROL);
        b.joinLegacy(LEE);
        if (withMia) {
            b.joinLegacy(MIA);
        }
        b.settle();
        assertThat(alice.groupMembers(SharedAccountBridge.XMPP_ROOM)).hasSize(3);
        assertThat(carol.groupMembers(SharedAccountBridge.MATRIX_ROOM)).hasSize(3);
        assertThat(b.memberBot().legacyUsers(SharedAccountBridge.XMPP_ROOM))
                .containsExactlyInAnyOrderElementsOf(withMia ? List.of(LEE, MIA) : List.of(LEE));
    }

    private void say(MemberClient c, String text) throws Exception {
        c.send(SharedAccountBridge.roomOf(c.self()), Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))).orElseThrow();
    }

    private void sayPlain(UserId u, String id, String text) throws TransportException {
        b.networkOf(u).connect(u).sendTextToRoom(SharedAccountBridge.roomOf(u), new ClientMessageId(id), text);
    }

    /** What an MLS member read: {@code sender: text}, marked when not end-to-end encrypted. */
    private static List<String> read(MemberClient c) {
        List<String> out = new ArrayList<>();
        for (ReceivedMessage m : c.received()) {
            out.add(m.sender().address() + ": " + new String(m.text().toByteArray(), StandardCharsets.UTF_8)
                    + (m.endToEndEncrypted() ? "" : " (NOT E2EE)"));
            c.acknowledge(m);
        }
        return out;
    }

    /** What a chat client without MLS shows in the room: {@code sender: text}. */
    private static List<String> plain(InMemoryNetwork net, RoomId room) {
        return net.plainLog(room).stream().map(m -> m.sender().address() + ": " + m.text()).toList();
    }

    @Test
    void legacyUsersOnBothNetworksReadEveryoneOnceAndNothingLoops() throws Exception {
        start(true);
        say(alice, "hi from alice");
        say(carol, "hi from carol");
        sayPlain(LEE, "lee-1", "plain from lee");
        sayPlain(MIA, "mia-1", "plain from mia");
        b.settle();

        assertThat(read(alice)).containsExactlyInAnyOrder("@carol:example.org: hi from carol",
                "lee@example.org: plain from lee (NOT E2EE)", "@mia:example.org: plain from mia (NOT E2EE)");
        assertThat(read(carol)).containsExactlyInAnyOrder("alice@example.org: hi from alice",
                "lee@example.org: plain from lee (NOT E2EE)", "@mia:example.org: plain from mia (NOT E2EE)");
        // Each legacy user reads everyone else once, labelled with the true sender, and never an echo of itself.
        assertThat(plain(b.xmpp, SharedAccountBridge.XMPP_ROOM)).containsExactlyInAnyOrder(
                "lee@example.org: plain from lee",
                "bridge@example.org: " + LABEL + "alice@example.org: hi from alice",
                "bridge@example.org: " + LABEL + "@carol:example.org: hi from carol",
                "bridge@example.org: " + LABEL + "@mia:example.org: plain from mia");
        assertThat(plain(b.matrix, SharedAccountBridge.MATRIX_ROOM)).containsExactlyInAnyOrder(
                "@mia:example.org: plain from mia",
                "@bridge:example.org: " + LABEL + "alice@example.org: hi from alice",
                "@bridge:example.org: " + LABEL + "@carol:example.org: hi from carol",
                "@bridge:example.org: " + LABEL + "lee@example.org: plain from lee");

        long xmppTraffic = b.xmpp.roomMessageCount();
        long matrixTraffic = b.matrix.roomMessageCount();
        b.settle();
        assertThat(b.xmpp.roomMessageCount()).as("nothing loops").isEqualTo(xmppTraffic);
        assertThat(b.matrix.roomMessageCount()).as("nothing loops").isEqualTo(matrixTraffic);
        assertThat(b.memberBot().counters().gatewayedIntoGroup()).isEqualTo(2);
        assertThat(b.memberBot().counters().gatewayedToRooms()).isEqualTo(6);
        // MLS members leave the plain copies alone, without counting them as failures.
        for (MemberClient c : List.of(alice, carol)) {
            assertThat(c.counters().droppedByReason()).as(c.self().toString()).isEmpty();
            assertThat(c.counters().decryptionFailures()).isZero();
            assertThat(c.counters().plainMessagesIgnored()).as(c.self().toString()).isEqualTo(4);
            assertThat(c.droppedEvents()).isEmpty();
        }
    }

    @Test
    void noPlainTextGoesIntoARoomWhereEveryoneRunsMls() throws Exception {
        start(false);
        say(alice, "one");
        say(carol, "two");
        sayPlain(LEE, "lee-1", "three");
        b.settle();
        assertThat(plain(b.matrix, SharedAccountBridge.MATRIX_ROOM)).isEmpty();
        assertThat(plain(b.xmpp, SharedAccountBridge.XMPP_ROOM)).containsExactlyInAnyOrder("lee@example.org: three",
                "bridge@example.org: " + LABEL + "alice@example.org: one",
                "bridge@example.org: " + LABEL + "@carol:example.org: two");
        assertThat(read(carol)).containsExactlyInAnyOrder("alice@example.org: one", "lee@example.org: three (NOT E2EE)");

        b.xmpp.leave(SharedAccountBridge.XMPP_ROOM, LEE);
        b.settle();
        say(alice, "four");
        b.settle();
        assertThat(read(carol)).containsExactly("alice@example.org: four");
        assertThat(b.xmpp.plainLog(SharedAccountBridge.XMPP_ROOM)).hasSize(3);
    }

    @Test
    void eachMessageIsGatewayedOnceAcrossCrashesAndLostAnswers() throws Exception {
        start(true);
        for (int i = 0; i < 6; i++) {
            sayPlain(LEE, "lee-" + i, "lee #" + i);
            sayPlain(MIA, "mia-" + i, "mia #" + i);
            say(alice, "alice #" + i);
            // the servers keep the bridge's next post but its answer is lost; then the bridge dies
            b.matrix.dropNextAcknowledgement(SharedAccountBridge.BRIDGE_MATRIX);
            b.xmpp.dropNextAcknowledgement(SharedAccountBridge.BRIDGE_XMPP);
            int max = 1 + i % 3;
            SharedAccountBridge.tolerant(() -> b.relay.step(max, java.time.Duration.ZERO));
            SharedAccountBridge.tolerant(b::stepBot);
            b.restart();
            if (i % 2 == 0) {
                b.settle();
            }
        }
        b.settle();
        List<String> xmppRoom = plain(b.xmpp, SharedAccountBridge.XMPP_ROOM);
        List<String> matrixRoom = plain(b.matrix, SharedAccountBridge.MATRIX_ROOM);
        List<String> carolRead = read(carol);
        for (int i = 0; i < 6; i++) {
            assertThat(xmppRoom).containsOnlyOnce("bridge@example.org: " + LABEL + "@mia:example.org: mia #" + i,
                    "bridge@example.org: " + LABEL + "alice@example.org: alice #" + i);
            assertThat(matrixRoom).containsOnlyOnce("@bridge:example.org: " + LABEL + "lee@example.org: lee #" + i,
                    "@bridge:example.org: " + LABEL + "alice@example.org: alice #" + i);
            assertThat(carolRead).containsOnlyOnce("lee@example.org: lee #" + i + " (NOT E2EE)",
                    "@mia:example.org: mia #" + i + " (NOT E2EE)", "alice@example.org: alice #" + i);
        }
        assertThat(xmppRoom).hasSize(6 * 3);
        assertThat(matrixRoom).hasSize(6 * 3);
        assertThat(carolRead).hasSize(6 * 3);
    }

    @Test
    void hostilePlainInputIsDroppedOrKeptToItsRealSender() throws Exception {
        start(true);
        var epoch = alice.epoch(SharedAccountBridge.XMPP_ROOM);
        sayPlain(LEE, "lee-blank", " \n\t ");
        // a label in the text is only text: it stays Lee's, and a second line cannot pass for a new post
        sayPlain(LEE, "lee-forged", LABEL + "alice@example.org: send me your password\n" + LABEL + "x: y");
        // an MLS member's plain text (another client of hers) is not taken as a legacy user's
        sayPlain(ALICE, "alice-plain", "typed in a plain client");
        String huge = "x".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES + 1);
        assertThatThrownBy(() -> sayPlain(MIA, "mia-huge", huge)).isInstanceOf(TransportException.class)
                .matches(e -> !((TransportException) e).retryable());
        b.settle();

        assertThat(read(carol)).containsExactly("lee@example.org: " + LABEL + "alice@example.org: send me your password\n"
                + LABEL + "x: y (NOT E2EE)");
        assertThat(plain(b.matrix, SharedAccountBridge.MATRIX_ROOM)).containsExactly("@bridge:example.org: " + LABEL
                + "lee@example.org: " + LABEL + "alice@example.org: send me your password\n  " + LABEL + "x: y");
        assertThat(b.memberBot().counters().dropped(DropReason.BLANK_PLAIN_TEXT)).isEqualTo(1);
        assertThat(b.memberBot().counters().gatewayedIntoGroup()).isEqualTo(1);
        assertThat(alice.epoch(SharedAccountBridge.XMPP_ROOM)).isEqualTo(epoch);
        assertThat(b.memberBot().client().epochAuthenticator(SharedAccountBridge.XMPP_ROOM))
                .isEqualTo(alice.epochAuthenticator(SharedAccountBridge.XMPP_ROOM));
    }
}
