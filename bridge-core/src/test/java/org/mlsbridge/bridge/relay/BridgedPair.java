package org.mlsbridge.bridge.relay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Two in-memory networks standing for XMPP and Matrix, a room on each, the bridge (relay and
 * external-sender bot) between them, and members on both sides, each with its own SQLite file.
 */
final class BridgedPair implements AutoCloseable {
    static final RoomId XMPP_ROOM = new RoomId("chat@muc.example.org");
    static final RoomId MATRIX_ROOM = new RoomId("!chat:example.org");
    static final UserId BRIDGE_XMPP = UserId.xmpp("bridge@example.org");
    static final UserId BRIDGE_MATRIX = UserId.matrix("@bridge:example.org");
    static final UserId BOT = UserId.xmpp("bridge-bot@example.org");

    final InMemoryNetwork xmpp = new InMemoryNetwork();
    final InMemoryNetwork matrix = new InMemoryNetwork();
    final Path dir;
    final ClientOptions options;
    final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    BridgeRelay relay;
    ExternalSenderBot bot;
    /** Wraps the relay's Matrix connection (e.g. to slow its posts down); applied at every (re)start. */
    java.util.function.UnaryOperator<org.mlsbridge.bridge.transport.Transport> relayMatrix = t -> t;

    /** Set when the relay's two connections read ahead ({@code ReadAhead}); its turns then wait for news. */
    private final org.mlsbridge.bridge.transport.ReadAhead relayReadAhead;

    BridgedPair(Path dir) throws Exception {
        this(dir, false);
    }

    BridgedPair(Path dir, boolean relayReadsAhead) throws Exception {
        this.dir = dir;
        this.relayReadAhead = relayReadsAhead ? new org.mlsbridge.bridge.transport.ReadAhead(Duration.ofSeconds(2)) : null;
        this.options = options();
        xmpp.join(XMPP_ROOM, BRIDGE_XMPP);
        xmpp.join(XMPP_ROOM, BOT);
        matrix.join(MATRIX_ROOM, BRIDGE_MATRIX);
        openRelay();
        bot = new ExternalSenderBot(new PairedTransport(xmpp.connect(BOT), XMPP_ROOM, matrix.connect(BRIDGE_MATRIX),
                MATRIX_ROOM, Set.of(BRIDGE_XMPP, BRIDGE_MATRIX)), store("bot"), options);
    }

    /** Each room's sequencer is the bridge's account on its network. */
    static ClientOptions options() {
        RoomPolicy xmppSide = RoomPolicy.DEFAULT.withSequencer(BRIDGE_XMPP);
        RoomPolicy matrixSide = RoomPolicy.DEFAULT.withSequencer(BRIDGE_MATRIX);
        return ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(20))
                .withPolicies(room -> room.equals(XMPP_ROOM) ? xmppSide : matrixSide);
    }

    static KeyEncryptionKey kek() {
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        k[0] = 9;
        return KeyEncryptionKey.of(k);
    }

    Path file(String name) {
        return dir.resolve(name.replaceAll("[^A-Za-z0-9@._-]", "_") + ".db");
    }

    ClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(file(name), kek()));
    }

    void openRelay() {
        org.mlsbridge.bridge.transport.Transport a = xmpp.connect(BRIDGE_XMPP);
        org.mlsbridge.bridge.transport.Transport b = relayMatrix.apply(matrix.connect(BRIDGE_MATRIX));
        if (relayReadAhead != null) {
            a = relayReadAhead.wrap(a);
            b = relayReadAhead.wrap(b);
        }
        relay = new BridgeRelay(new RoomSide(XMPP_ROOM, a), new RoomSide(MATRIX_ROOM, b), store("relay"), options);
    }

    void restartRelay() {
        relay.close();
        openRelay();
    }

    static RoomId roomOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? XMPP_ROOM : MATRIX_ROOM;
    }

    InMemoryNetwork networkOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? xmpp : matrix;
    }

    MemberClient member(UserId u) throws Exception {
        MemberClient c = new MemberClient(networkOf(u).connect(u), store(u.value()), options);
        members.put(u, c);
        return c;
    }

    /** The member's account enters its room; the bot will make it an MLS member. */
    MemberClient join(UserId u) throws Exception {
        MemberClient c = member(u);
        networkOf(u).join(roomOf(u), u);
        return c;
    }

    /** An XMPP user creates the group with the bridge's bot as external sender. */
    MemberClient creator(UserId u) throws Exception {
        MemberClient c = join(u);
        c.createGroup(roomOf(u), List.of(c.externalSenderOf(BOT)));
        return c;
    }

    void leave(UserId u) {
        networkOf(u).leave(roomOf(u), u);
    }

    /** Steps everyone in a fixed order until a full quiet round with nothing due. */
    void settle() throws Exception {
        settle(null);
    }

    /** Steps everyone (in an order drawn from {@code rnd} if given) until quiet. */
    void settle(Random rnd) throws Exception {
        int quiet = 0;
        for (int round = 0; round < 20_000 && quiet < 3; round++) {
            List<Runnable> turns = new ArrayList<>();
            int[] n = {0};
            boolean[] due = {false};
            // reading ahead, a turn without waiting may come before the answer: wait a little for news
            Duration relayWait = relayReadAhead != null ? Duration.ofMillis(20) : Duration.ZERO;
            turns.add(() -> n[0] += step(() -> relay.step(500, relayWait)));
            turns.add(() -> n[0] += step(() -> bot.step(500, Duration.ZERO)));
            for (MemberClient c : List.copyOf(members.values())) {
                turns.add(() -> {
                    n[0] += step(() -> c.step(rnd == null ? 500 : 1 + rnd.nextInt(3), Duration.ZERO));
                    due[0] |= c.hasDueWork();
                });
            }
            if (rnd != null) {
                java.util.Collections.shuffle(turns, rnd);
            }
            turns.forEach(Runnable::run);
            if (n[0] == 0 && !due[0]) {
                quiet++;
            } else {
                quiet = 0;
            }
            if (n[0] == 0) {
                Thread.sleep(due[0] ? 5 : 1);
            }
        }
    }

    @FunctionalInterface
    interface Step {
        int run() throws Exception;
    }

    private static int step(Step s) {
        try {
            return s.run();
        } catch (org.mlsbridge.bridge.transport.TransportException e) {
            if (!e.retryable()) {
                throw new IllegalStateException(e);
            }
            return 1; // a lost acknowledgement: the loop tries again, as a real one would
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Bytes text(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Texts each member has received, acknowledging them. */
    Map<UserId, List<String>> drainReceived() {
        Map<UserId, List<String>> out = new LinkedHashMap<>();
        for (MemberClient c : members.values()) {
            List<String> got = new ArrayList<>();
            for (ReceivedMessage m : c.received()) {
                got.add(new String(m.text().toByteArray(), StandardCharsets.UTF_8));
                c.acknowledge(m);
            }
            out.put(c.self(), got);
        }
        return out;
    }

    @Override
    public void close() {
        relay.close();
        bot.close();
        for (MemberClient c : members.values()) {
            c.close();
        }
    }
}
