package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;

/**
 * The relay has several application-message posts in flight, from different senders, and still
 * keeps each sender's messages and the handshakes in order.
 */
class PipelinedRelayTest {
    static final UserId ALICE = UserId.xmpp("alice@example.org");
    static final UserId BOB = UserId.xmpp("bob@example.org");
    static final UserId ERIN = UserId.xmpp("erin@example.org");
    static final UserId FRANK = UserId.xmpp("frank@example.org");
    static final UserId CAROL = UserId.matrix("@carol:example.org");
    static final UserId DAVE = UserId.matrix("@dave:example.org");

    @TempDir
    Path dir;

    @Test
    void applicationMessagesArePostedSeveralAtOnce() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            GatedTransport[] gated = new GatedTransport[1];
            p.relayMatrix = t -> gated[0] = new GatedTransport(t, 1, Duration.ofSeconds(2));
            p.restartRelay();
            List<MemberClient> senders = List.of(p.creator(ALICE), p.join(BOB), p.join(ERIN), p.join(FRANK));
            p.join(CAROL);
            p.join(DAVE);
            p.settle();
            p.drainReceived();

            gated[0].regate(4);
            for (int i = 0; i < 4; i++) {
                senders.get(i).send(BridgedPair.XMPP_ROOM, BridgedPair.text("m" + i)).orElseThrow();
            }
            p.relay.step(500, Duration.ZERO);
            // one at a time, each would have waited for the others until the gate's time ran out
            assertThat(gated[0].mostInFlight()).isEqualTo(4);

            p.settle();
            Map<UserId, List<String>> got = p.drainReceived();
            assertThat(got.get(CAROL)).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
            assertThat(got.get(DAVE)).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
        }
    }

    @Test
    void aCommitIsPostedAfterTheApplicationMessagesReadBeforeIt() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            GatedTransport[] gated = new GatedTransport[1];
            p.relayMatrix = t -> gated[0] = new GatedTransport(t, 1, Duration.ofSeconds(2));
            p.restartRelay();
            MemberClient alice = p.creator(ALICE);
            List<MemberClient> senders = List.of(alice, p.join(BOB), p.join(ERIN));
            p.join(CAROL);
            p.join(DAVE);
            p.settle();
            p.drainReceived();
            int before = p.matrix.roomLog(BridgedPair.MATRIX_ROOM).size();

            for (int i = 0; i < 3; i++) {
                senders.get(i).send(BridgedPair.XMPP_ROOM, BridgedPair.text("m" + i)).orElseThrow();
            }
            alice.requestCommit(BridgedPair.XMPP_ROOM);
            for (int i = 0; i < 50 && alice.hasDueWork(); i++) {
                Thread.sleep(10);
                alice.step(500, Duration.ZERO);
            }
            assertThat(alice.hasDueWork()).as("alice's commit went out").isFalse();
            // The three senders' application posts wait for a fourth post in flight: a commit
            // posted without waiting for them would be that fourth and race them into the room.
            gated[0].regate(4);
            gated[0].hold(Duration.ofMillis(300));
            p.relay.step(500, Duration.ZERO);

            List<String> kinds = new ArrayList<>();
            for (RoomEvent.RoomMessage m : p.matrix.roomLog(BridgedPair.MATRIX_ROOM).subList(before,
                    p.matrix.roomLog(BridgedPair.MATRIX_ROOM).size())) {
                if (m.sender().equals(BridgedPair.BRIDGE_MATRIX)) {
                    kinds.add(kind(MlsMessage.decode(m.payload())));
                }
            }
            assertThat(kinds).containsExactly("application", "application", "application", "commit");

            p.settle();
            Map<UserId, List<String>> got = p.drainReceived();
            assertThat(got.get(CAROL)).containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(got.get(DAVE)).containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(p.members.values().stream().map(c -> c.epochAuthenticator(BridgedPair.roomOf(c.self()))
                    .orElseThrow()).distinct()).hasSize(1);
        }
    }

    @Test
    void oneSendersMessagesArePostedOneAfterTheOtherInTheOrderWritten() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            GatedTransport[] gated = new GatedTransport[1];
            p.relayMatrix = t -> gated[0] = new GatedTransport(t, 1, Duration.ofSeconds(2));
            p.restartRelay();
            MemberClient alice = p.creator(ALICE);
            p.join(CAROL);
            p.settle();
            p.drainReceived();

            // posts wait for a second one in flight, at most 100 ms: only a post that does not
            // wait for its predecessor would have company
            gated[0].regate(2);
            gated[0].hold(Duration.ofMillis(100));
            for (int i = 0; i < 4; i++) {
                alice.send(BridgedPair.XMPP_ROOM, BridgedPair.text("m" + i)).orElseThrow();
            }
            p.relay.step(500, Duration.ZERO);
            assertThat(gated[0].mostInFlight()).isEqualTo(1);

            p.settle();
            assertThat(p.drainReceived().get(CAROL)).containsExactly("m0", "m1", "m2", "m3");
        }
    }

    private static String kind(MlsMessage m) {
        if (m.body() instanceof PrivateMessage) {
            return "application";
        }
        if (m.body() instanceof PublicMessage pm && pm.content().content() instanceof Content.CommitContent) {
            return "commit";
        }
        return m.wireFormat().toString();
    }
}
