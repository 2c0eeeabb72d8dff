package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.MemberModeBot;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/** The bridge in member mode, wired as the bridge command wires it: the bot is the bridge's XMPP account and a member. */
class MemberModeBridgeTest {
    private static final RoomId XMPP_ROOM = BridgedPair.XMPP_ROOM;
    private static final RoomId MATRIX_ROOM = BridgedPair.MATRIX_ROOM;
    private static final UserId BRIDGE_XMPP = BridgedPair.BRIDGE_XMPP;
    private static final UserId BRIDGE_MATRIX = BridgedPair.BRIDGE_MATRIX;

    @TempDir
    Path dir;

    private final InMemoryNetwork xmpp = new InMemoryNetwork();
    private final InMemoryNetwork matrix = new InMemoryNetwork();
    private final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    private BridgeRelay relay;
    private MemberModeBot bot;

    private MemberClient join(UserId u) throws Exception {
        boolean onXmpp = u.network() == UserId.Network.XMPP;
        MemberClient c = new MemberClient((onXmpp ? xmpp : matrix).connect(u), new SqliteClientStore(SqliteStore.open(
                dir.resolve(u.value().replaceAll("[^A-Za-z0-9@._-]", "_") + ".db"), BridgedPair.kek())),
                BridgedPair.options());
        (onXmpp ? xmpp : matrix).join(onXmpp ? XMPP_ROOM : MATRIX_ROOM, u);
        members.put(u, c);
        return c;
    }

    private void settle() throws Exception {
        int quiet = 0;
        for (int round = 0; round < 5_000 && quiet < 3; round++) {
            int n = relay.step(500, Duration.ZERO) + bot.step(500, Duration.ZERO);
            boolean due = false;
            for (MemberClient c : members.values()) {
                n += c.step(500, Duration.ZERO);
                due |= c.hasDueWork();
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
            if (n == 0) {
                Thread.sleep(due ? 5 : 1);
            }
        }
    }

    @Test
    void membersOnBothSidesAndALegacyXmppUser() throws Exception {
        xmpp.join(XMPP_ROOM, BRIDGE_XMPP);
        matrix.join(MATRIX_ROOM, BRIDGE_MATRIX);
        ClientStore store = new SqliteClientStore(SqliteStore.open(dir.resolve("bridge.db"), BridgedPair.kek()));
        relay = new BridgeRelay("pair-1", new RoomSide(XMPP_ROOM, xmpp.connect(BRIDGE_XMPP)),
                new RoomSide(MATRIX_ROOM, matrix.connect(BRIDGE_MATRIX)), store, BridgedPair.options());
        bot = new MemberModeBot(new PairedTransport(xmpp.connect(BRIDGE_XMPP), matrix.connect(BRIDGE_MATRIX),
                List.of(new PairedTransport.Pair(XMPP_ROOM, MATRIX_ROOM, Optional.of(relay))),
                Set.of(BRIDGE_XMPP, BRIDGE_MATRIX)), store, BridgedPair.options());
        bot.manage(XMPP_ROOM);
        settle();
        MemberClient alice = join(UserId.xmpp("alice@example.org"));
        MemberClient carol = join(UserId.matrix("@carol:example.org"));
        UserId legacy = UserId.xmpp("lee@example.org");
        xmpp.join(XMPP_ROOM, legacy);
        settle();
        assertThat(alice.groupMembers(XMPP_ROOM)).hasSize(3);
        assertThat(carol.groupMembers(MATRIX_ROOM)).hasSize(3);
        alice.send(XMPP_ROOM, Bytes.wrap("hi carol".getBytes(StandardCharsets.UTF_8))).orElseThrow();
        xmpp.connect(legacy).sendToRoom(XMPP_ROOM, new ClientMessageId("lee-1"),
                Bytes.wrap("plain from lee".getBytes(StandardCharsets.UTF_8)));
        settle();
        List<String> got = new ArrayList<>();
        for (ReceivedMessage m : carol.received()) {
            got.add(new String(m.text().toByteArray(), StandardCharsets.UTF_8) + (m.endToEndEncrypted() ? "" : " (NOT E2EE)"));
        }
        assertThat(got).containsExactlyInAnyOrder("hi carol", "plain from lee (NOT E2EE)");
    }
}
