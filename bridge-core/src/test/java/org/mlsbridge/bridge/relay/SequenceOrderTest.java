package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Whatever fails between the bridge's two posts of a handshake message (a lost acknowledgement on
 * either network, a restart), both rooms carry the bridge's posts in one order.
 */
class SequenceOrderTest {
    @TempDir
    Path dir;

    @Test
    void bothRoomsCarryTheBridgesHandshakesInOneOrder() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            p.creator(UserId.xmpp("alice@example.org"));
            p.settle();
            Random rnd = new Random(5);
            List<UserId> joiners = List.of(UserId.matrix("@carol:example.org"), UserId.xmpp("bob@example.org"),
                    UserId.matrix("@dave:example.org"), UserId.xmpp("erin@example.org"),
                    UserId.matrix("@frank:example.org"));
            for (UserId u : joiners) {
                p.join(u);
                for (int i = 0; i < 40; i++) {
                    if (rnd.nextInt(4) == 0) {
                        p.xmpp.dropNextAcknowledgement(BridgedPair.BRIDGE_XMPP);
                    }
                    if (rnd.nextInt(4) == 0) {
                        p.matrix.dropNextAcknowledgement(BridgedPair.BRIDGE_MATRIX);
                    }
                    try {
                        p.relay.step(1 + rnd.nextInt(3), Duration.ZERO);
                    } catch (TransportException e) {
                        assertThat(e.retryable()).isTrue();
                    }
                    if (rnd.nextInt(8) == 0) {
                        p.restartRelay();
                    }
                    p.bot.step(100, Duration.ZERO);
                    for (MemberClient c : List.copyOf(p.members.values())) {
                        c.step(100, Duration.ZERO);
                    }
                    Thread.sleep(1);
                }
            }
            p.settle();
            List<Bytes> a = bridgePosts(p, BridgedPair.XMPP_ROOM, BridgedPair.BRIDGE_XMPP);
            List<Bytes> b = bridgePosts(p, BridgedPair.MATRIX_ROOM, BridgedPair.BRIDGE_MATRIX);
            assertThat(a).hasSizeGreaterThan(10);
            assertThat(b).isEqualTo(a);
            for (MemberClient c : p.members.values()) {
                assertThat(c.groupMembers(BridgedPair.roomOf(c.self()))).as(c.self().toString()).hasSize(6);
            }
        }
    }

    /** The bridge account's posts of handshake messages (what members act on), in room order. */
    private static List<Bytes> bridgePosts(BridgedPair p, RoomId room, UserId bridge) {
        return (room.equals(BridgedPair.XMPP_ROOM) ? p.xmpp : p.matrix).roomLog(room).stream()
                .filter(m -> m.sender().equals(bridge)).map(RoomEvent.RoomMessage::payload)
                .filter(SequenceOrderTest::isHandshake).toList();
    }

    private static boolean isHandshake(Bytes payload) {
        try {
            return org.mlsbridge.bridge.trust.Sequencing.isHandshake(org.mlsbridge.mls.message.MlsMessage.decode(payload));
        } catch (org.mlsbridge.mls.codec.DecodeException e) {
            return false;
        }
    }
}
