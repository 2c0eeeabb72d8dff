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
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The bridge as the {@code bridge} command wires it: one account per network, the bot being the
 * bridge's own account (its proposals sequenced by the relay, {@link Sequencer}), one store for
 * relay and bot, and the bot an external sender under both accounts, so the group's creator may be
 * on either side.
 */
class SharedAccountBridgeTest {
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
    private ExternalSenderBot bot;

    private void startBridge() throws Exception {
        xmpp.join(XMPP_ROOM, BRIDGE_XMPP);
        matrix.join(MATRIX_ROOM, BRIDGE_MATRIX);
        ClientStore store = new SqliteClientStore(SqliteStore.open(dir.resolve("bridge.db"), BridgedPair.kek()));
        relay = new BridgeRelay("pair-1", new RoomSide(XMPP_ROOM, xmpp.connect(BRIDGE_XMPP)),
                new RoomSide(MATRIX_ROOM, matrix.connect(BRIDGE_MATRIX)), store, BridgedPair.options());
        bot = new ExternalSenderBot(new PairedTransport(xmpp.connect(BRIDGE_XMPP), matrix.connect(BRIDGE_MATRIX),
                List.of(new PairedTransport.Pair(XMPP_ROOM, MATRIX_ROOM, Optional.of(relay))),
                Set.of(BRIDGE_XMPP, BRIDGE_MATRIX)), store, BridgedPair.options(), List.of(matrix.connect(BRIDGE_MATRIX)));
    }

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

    private static RoomId roomOf(MemberClient c) {
        return c.self().network() == UserId.Network.XMPP ? XMPP_ROOM : MATRIX_ROOM;
    }

    private void talk() throws Exception {
        for (MemberClient c : members.values()) {
            c.send(roomOf(c), Bytes.wrap(("from " + c.self()).getBytes(StandardCharsets.UTF_8))).orElseThrow();
        }
        settle();
        for (MemberClient c : members.values()) {
            List<String> got = new ArrayList<>();
            for (ReceivedMessage m : c.received()) {
                got.add(new String(m.text().toByteArray(), StandardCharsets.UTF_8));
                c.acknowledge(m);
            }
            assertThat(got).as(c.self().toString()).containsExactlyInAnyOrderElementsOf(members.values().stream()
                    .filter(o -> o != c).map(o -> "from " + o.self()).toList());
        }
    }

    @Test
    void aGroupCreatedOnTheMatrixSide() throws Exception {
        startBridge();
        MemberClient carol = join(UserId.matrix("@carol:example.org"));
        carol.createGroup(MATRIX_ROOM, List.of(carol.externalSenderOf(BRIDGE_MATRIX)));
        join(UserId.xmpp("alice@example.org"));
        join(UserId.matrix("@dave:example.org"));
        settle();
        for (MemberClient c : members.values()) {
            assertThat(c.groupMembers(roomOf(c))).as(c.self().toString()).hasSize(3);
        }
        talk();
    }

    @Test
    void aGroupCreatedOnTheXmppSide() throws Exception {
        startBridge();
        MemberClient alice = join(UserId.xmpp("alice@example.org"));
        alice.createGroup(XMPP_ROOM, List.of(alice.externalSenderOf(BRIDGE_XMPP)));
        join(UserId.matrix("@carol:example.org"));
        join(UserId.xmpp("bob@example.org"));
        settle();
        for (MemberClient c : members.values()) {
            assertThat(c.groupMembers(roomOf(c))).as(c.self().toString()).hasSize(3);
        }
        talk();
    }
}
