package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The bridge as the {@code bridge} command wires it ({@link SharedAccountBridge}): one account per
 * network, the bot being the bridge's own account (its proposals sequenced by the relay,
 * {@link Sequencer}), one store for relay and bot, and the bot an external sender under both
 * accounts, so the group's creator may be on either side.
 */
class SharedAccountBridgeTest {
    @TempDir
    Path dir;

    private void talk(SharedAccountBridge b) throws Exception {
        for (MemberClient c : b.members.values()) {
            c.send(SharedAccountBridge.roomOf(c.self()), Bytes.wrap(("from " + c.self()).getBytes(StandardCharsets.UTF_8)))
                    .orElseThrow();
        }
        b.settle();
        for (MemberClient c : b.members.values()) {
            assertThat(SharedAccountBridge.received(c)).as(c.self().toString()).containsExactlyInAnyOrderElementsOf(
                    b.members.values().stream().filter(o -> o != c).map(o -> "from " + o.self()).toList());
        }
    }

    @Test
    void aGroupCreatedOnTheMatrixSide() throws Exception {
        SharedAccountBridge b = new SharedAccountBridge(dir, SharedAccountBridge.Mode.EXTERNAL_SENDER);
        MemberClient carol = b.join(UserId.matrix("@carol:example.org"));
        carol.createGroup(SharedAccountBridge.MATRIX_ROOM, List.of(carol.externalSenderOf(SharedAccountBridge.BRIDGE_MATRIX)));
        b.join(UserId.xmpp("alice@example.org"));
        b.join(UserId.matrix("@dave:example.org"));
        b.settle();
        for (MemberClient c : b.members.values()) {
            assertThat(c.groupMembers(SharedAccountBridge.roomOf(c.self()))).as(c.self().toString()).hasSize(3);
        }
        talk(b);
    }

    @Test
    void aGroupCreatedOnTheXmppSide() throws Exception {
        SharedAccountBridge b = new SharedAccountBridge(dir, SharedAccountBridge.Mode.EXTERNAL_SENDER);
        MemberClient alice = b.join(UserId.xmpp("alice@example.org"));
        alice.createGroup(SharedAccountBridge.XMPP_ROOM, List.of(alice.externalSenderOf(SharedAccountBridge.BRIDGE_XMPP)));
        b.join(UserId.matrix("@carol:example.org"));
        b.join(UserId.xmpp("bob@example.org"));
        b.settle();
        for (MemberClient c : b.members.values()) {
            assertThat(c.groupMembers(SharedAccountBridge.roomOf(c.self()))).as(c.self().toString()).hasSize(3);
        }
        talk(b);
    }
}
