package org.mlsbridge.bridge.relay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.MemberModeBot;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;

/**
 * The bridge as the {@code bridge} command wires it, over two in-memory networks: one account per
 * network, the bot being the bridge's own account (its handshakes sequenced by the relay), one
 * store for relay and bot; the bot an external sender or a member. Members on either side each
 * have their own SQLite file.
 */
final class SharedAccountBridge {
    static final RoomId XMPP_ROOM = BridgedPair.XMPP_ROOM;
    static final RoomId MATRIX_ROOM = BridgedPair.MATRIX_ROOM;
    static final UserId BRIDGE_XMPP = BridgedPair.BRIDGE_XMPP;
    static final UserId BRIDGE_MATRIX = BridgedPair.BRIDGE_MATRIX;

    /** Which bot the bridge runs. */
    enum Mode { EXTERNAL_SENDER, MEMBER }

    final InMemoryNetwork xmpp = new InMemoryNetwork();
    final InMemoryNetwork matrix = new InMemoryNetwork();
    final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    private final Path dir;
    private final Mode mode;
    BridgeRelay relay;
    private ExternalSenderBot externalSender;
    private MemberModeBot memberBot;

    SharedAccountBridge(Path dir, Mode mode) throws Exception {
        this.dir = dir;
        this.mode = mode;
        xmpp.join(XMPP_ROOM, BRIDGE_XMPP);
        matrix.join(MATRIX_ROOM, BRIDGE_MATRIX);
        open();
        if (mode == Mode.MEMBER) {
            memberBot.manage(XMPP_ROOM);
        }
    }

    /**
     * Relay and bot stopped where they are (nothing more is sent, nothing in memory survives) and
     * opened again on the bridge's database, as a restart after a crash: what they did not finish
     * is taken up from what the database holds.
     */
    void restart() throws TransportException {
        relay.close();
        if (memberBot != null) {
            memberBot.close();
        } else {
            externalSender.close();
        }
        open();
    }

    private void open() throws TransportException {
        ClientStore store = new SqliteClientStore(SqliteStore.open(dir.resolve("bridge.db"), BridgedPair.kek()));
        relay = new BridgeRelay("pair-1", new RoomSide(XMPP_ROOM, xmpp.connect(BRIDGE_XMPP)),
                new RoomSide(MATRIX_ROOM, matrix.connect(BRIDGE_MATRIX)), store, BridgedPair.options());
        PairedTransport view = new PairedTransport(xmpp.connect(BRIDGE_XMPP), matrix.connect(BRIDGE_MATRIX),
                List.of(new PairedTransport.Pair(XMPP_ROOM, MATRIX_ROOM, Optional.of(relay))),
                Set.of(BRIDGE_XMPP, BRIDGE_MATRIX));
        if (mode == Mode.MEMBER) {
            memberBot = new MemberModeBot(view, store, BridgedPair.options(), view);
        } else {
            externalSender = new ExternalSenderBot(view, store, BridgedPair.options(),
                    List.of(matrix.connect(BRIDGE_MATRIX)));
        }
    }

    MemberModeBot memberBot() {
        return memberBot;
    }

    static RoomId roomOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? XMPP_ROOM : MATRIX_ROOM;
    }

    InMemoryNetwork networkOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? xmpp : matrix;
    }

    /** An MLS member enters its room; the bot will make it a member of the group. */
    MemberClient join(UserId u) throws Exception {
        MemberClient c = new MemberClient(networkOf(u).connect(u), new SqliteClientStore(SqliteStore.open(
                dir.resolve(u.value().replaceAll("[^A-Za-z0-9@._-]", "_") + ".db"), BridgedPair.kek())),
                BridgedPair.options());
        networkOf(u).join(roomOf(u), u);
        members.put(u, c);
        return c;
    }

    /** A user without an MLS client (no KeyPackage) enters its room. */
    void joinLegacy(UserId u) {
        networkOf(u).join(roomOf(u), u);
    }

    /**
     * Steps relay, bot and members until three quiet rounds with nothing due; a retryable failure
     * (a lost acknowledgement) counts as activity, the next turn tries again as a real loop would.
     */
    void settle() throws Exception {
        int quiet = 0;
        for (int round = 0; round < 5_000 && quiet < 3; round++) {
            int n = tolerant(() -> relay.step(500, Duration.ZERO)) + tolerant(this::stepBot);
            boolean due = false;
            for (MemberClient c : members.values()) {
                n += tolerant(() -> c.step(500, Duration.ZERO));
                due |= c.hasDueWork();
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
            if (n == 0) {
                Thread.sleep(due ? 5 : 1);
            }
        }
    }

    @FunctionalInterface
    interface Step {
        int run() throws TransportException, InterruptedException;
    }

    static int tolerant(Step s) throws InterruptedException {
        try {
            return s.run();
        } catch (TransportException e) {
            if (!e.retryable()) {
                throw new IllegalStateException(e);
            }
            return 1;
        }
    }

    int stepBot() throws TransportException, InterruptedException {
        return mode == Mode.MEMBER ? memberBot.step(500, Duration.ZERO) : externalSender.step(500, Duration.ZERO);
    }

    /** What a member received since the last call, as {@code text}, {@code text (NOT E2EE)}, acknowledged. */
    static List<String> received(MemberClient c) {
        List<String> got = new ArrayList<>();
        for (ReceivedMessage m : c.received()) {
            got.add(new String(m.text().toByteArray(), StandardCharsets.UTF_8) + (m.endToEndEncrypted() ? "" : " (NOT E2EE)"));
            c.acknowledge(m);
        }
        return got;
    }
}
