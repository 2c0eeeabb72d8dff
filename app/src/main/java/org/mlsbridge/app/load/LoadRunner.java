package org.mlsbridge.app.load;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.relay.BotTurns;
import org.mlsbridge.bridge.relay.BridgeRelay;
import org.mlsbridge.bridge.relay.PairedTransport;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.KeyEncryptionKeys;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.ReadAhead;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicy;

/**
 * The load run: the same number of members (half on XMPP, half on Matrix) send the same schedule of
 * messages twice through the same two servers: as one MLS group across an XMPP room and a Matrix
 * room joined by the MLS bridge ({@link BridgeRelay} and its external-sender bot, in this process),
 * and as plain room messages across two other rooms joined by a {@link PlainRelay}. Every member
 * runs on a thread of its own, with its own connection (and, for MLS, its own encrypted SQLite
 * store). Both relays read their two rooms ahead ({@link ReadAhead}): one long poll per room in
 * flight, instead of a poll without waiting of each room per turn.
 *
 * <p>Both phases are set up and warmed up first ({@link RunningPhase#warmUp}), then send their
 * measured messages in blocks ({@link LoadSettings#blocks}), taking turns: block 1 of each phase,
 * then block 2 of each, and so on, the order within each pair drawn at random ({@link TurnOrder}).
 * A slow spell of the machine or a server (on a shared 2-core machine they last from seconds to
 * minutes) then meets both phases instead of one, neither phase is always the one that runs first
 * after the other, and no server pause that comes back on a clock of its own can fall into step
 * with the phases.
 *
 * <p>Accounts are fresh for every run (named after a random run id), so no KeyPackage or archive
 * of an earlier run is in the way, and each phase has its own: a member's connection sees its own
 * phase's rooms only.
 */
public final class LoadRunner {
    /** How often the bot's thread looks whether a turn is due. */
    private static final long BOT_CHECK_EVERY_MS = 20;

    private final LoadNetwork xmpp;
    private final LoadNetwork matrix;
    private final LoadSettings settings;
    private final Path dir;
    private final Duration formationTimeout;
    private final PhaseDriver.Progress progress;
    private final CpuMeter cpu;
    private final KeyEncryptionKey kek;
    private final String runId;
    private final TurnOrder order;

    LoadRunner(LoadNetwork xmpp, LoadNetwork matrix, LoadSettings settings, Path dir, Duration formationTimeout,
            PhaseDriver.Progress progress, CpuMeter cpu) {
        this(xmpp, matrix, settings, dir, formationTimeout, progress, cpu, TurnOrder.random());
    }

    LoadRunner(LoadNetwork xmpp, LoadNetwork matrix, LoadSettings settings, Path dir, Duration formationTimeout,
            PhaseDriver.Progress progress, CpuMeter cpu, TurnOrder order) {
        this.order = order;
        this.xmpp = xmpp;
        this.matrix = matrix;
        this.settings = settings;
        this.dir = dir;
        this.formationTimeout = formationTimeout;
        this.progress = progress;
        this.cpu = cpu;
        this.kek = KeyEncryptionKeys.loadOrCreate(dir.resolve("load.key"));
        this.runId = "ld" + Long.toString(new SecureRandom().nextLong() >>> 1, 36).substring(0, 6);
    }

    String runId() {
        return runId;
    }

    LoadReport run() throws Exception {
        long t0 = System.nanoTime();
        progress.show("registering accounts");
        List<UserId> mlsMembers = register("");
        List<UserId> plainMembers = register("p");
        try (RunningPhase mls = phase("mls", "MLS phase", mlsMembers);
                RunningPhase plain = phase("plain", "plain phase", plainMembers)) {
            setUpMls(mls);
            setUpPlain(plain);
            // the warm-up keeps a fixed order: MLS first, then plain first, so each phase's code
            // path has run after the other's before anything is measured
            List<LoadSettings.Block> warmUp = settings.warmUp().blocks();
            boolean[] alternate = new boolean[warmUp.size()];
            for (int i = 0; i < alternate.length; i += 2) {
                alternate[i] = true;
            }
            takeTurns(mls, plain, warmUp, alternate, RunningPhase::warmUp);
            mls.endWarmUp();
            plain.endWarmUp();
            takeTurns(mls, plain, settings.blocks(), order.mlsFirst(settings.blocks().size()), RunningPhase::block);
            return new LoadReport(settings, runId, mls.result(), plain.result(), (System.nanoTime() - t0) / 1e9,
                    order);
        }
    }

    /** One block of a phase (warm-up or measured); {@code which} names it in progress lines. */
    @FunctionalInterface
    private interface Turn {
        void take(RunningPhase phase, LoadSettings.Block block, String which) throws Exception;
    }

    /** Block 1 of each phase, then block 2 of each, and so on; pair i with MLS first if {@code mlsFirst[i]}. */
    private static void takeTurns(RunningPhase mls, RunningPhase plain, List<LoadSettings.Block> blocks,
            boolean[] mlsFirstInPair, Turn turn) throws Exception {
        for (int i = 0; i < blocks.size(); i++) {
            String which = "block " + (i + 1) + " of " + blocks.size();
            boolean mlsFirst = mlsFirstInPair[i];
            turn.take(mlsFirst ? mls : plain, blocks.get(i), which);
            turn.take(mlsFirst ? plain : mls, blocks.get(i), which);
        }
    }

    /** Members x1, m1, x2, m2, ... (XMPP and Matrix alternate), with {@code prefix} before the letter. */
    private List<UserId> register(String prefix) throws Exception {
        List<UserId> out = new ArrayList<>();
        for (int i = 1; i <= settings.membersPerNetwork(); i++) {
            out.add(xmpp.register(runId + prefix + "x" + i));
            out.add(matrix.register(runId + prefix + "m" + i));
        }
        return out;
    }

    private RunningPhase phase(String name, String label, List<UserId> members) {
        return new RunningPhase(name, label, settings, members, formationTimeout, progress, cpu);
    }

    /** A relay's turn, timed in the book only once the traffic has started (set-up is not the phase's). */
    private static BackgroundLoop.Step timed(TimeBook book, String what, BackgroundLoop.Step step) {
        return () -> {
            long t = System.nanoTime();
            int n = step.run();
            book.add(what, System.nanoTime() - t, n);
            return n;
        };
    }

    private LoadNetwork networkOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? xmpp : matrix;
    }

    private ClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".db"),
                kek));
    }

    /** The MLS group's rooms, bridge, bot and clients; paused until its first block. */
    private void setUpMls(RunningPhase phase) throws Exception {
        phase.show("rooms and bridge");
        List<UserId> members = phase.members();
        UserId bridgeX = xmpp.register(runId + "bridge");
        UserId bridgeM = matrix.register(runId + "bridge");
        UserId botUser = xmpp.register(runId + "bot");
        Transport bx = TimedTransport.relay(xmpp.connect(bridgeX), phase.book(), phase.trace());
        RoomId roomX = xmpp.createRoom(bx, runId + "mls");
        Transport bm = TimedTransport.relay(matrix.connect(bridgeM), phase.book(), phase.trace());
        RoomId roomM = matrix.createRoom(bm, runId + "mls");
        xmpp.admit(bx, roomX, botUser);
        Transport botTransport = xmpp.connect(botUser);
        xmpp.enter(botTransport, roomX);
        Transport bmForBot = matrix.connectSecondReader(bridgeM);
        RoomPolicy policyX = RoomPolicy.DEFAULT.withSequencer(bridgeX);
        RoomPolicy policyM = RoomPolicy.DEFAULT.withSequencer(bridgeM);
        // A long commit delay while the group forms: the bot's Adds reach the rooms one by one
        // through the bridge, and a short delay would commit each alone (one epoch per member).
        // No commit happens during the traffic.
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofSeconds(8))
                .withPolicies(room -> room.equals(roomX) ? policyX : policyM);
        ReadAhead ahead = new ReadAhead();
        BridgeRelay relay = phase.own(new BridgeRelay(new RoomSide(roomX, ahead.wrap(bx)),
                new RoomSide(roomM, ahead.wrap(bm)), store("bridge"), options));
        ExternalSenderBot bot = phase.own(new ExternalSenderBot(new PairedTransport(botTransport, roomX, bmForBot,
                roomM, Set.of(bridgeX, bridgeM)), store("bot"), options));
        phase.runInBackground("relay", timed(phase.book(), "bridge step call",
                () -> relay.step(500, Duration.ofMillis(50))));
        phase.runInBackground("bot", botTurns(relay, bot));

        // Every client publishes its KeyPackages, then enters its room; the first creates the group
        // once all are in, so the bot proposes all Adds at once and one commit (and its Welcomes)
        // brings everyone in.
        List<Transport> transports = new ArrayList<>();
        List<MlsMember> clients = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            UserId u = members.get(i);
            RoomId room = u.network() == UserId.Network.XMPP ? roomX : roomM;
            phase.show("member " + (i + 1) + "/" + members.size() + " signs in");
            Transport t = TimedTransport.member(networkOf(u).connect(u), phase.book(), phase.trace(), i);
            transports.add(t);
            MemberClient client = new MemberClient(t, store(u.value()), options);
            MlsMember m = new MlsMember(i, client, room, phase.tally());
            phase.add(m);
            clients.add(m);
        }
        for (int i = 0; i < members.size(); i++) {
            UserId u = members.get(i);
            phase.show("member " + (i + 1) + "/" + members.size() + " enters the room");
            networkOf(u).admit(u.network() == UserId.Network.XMPP ? bx : bm, clients.get(i).room(), u);
            networkOf(u).enter(transports.get(i), clients.get(i).room());
        }
        MemberClient creator = clients.get(0).client();
        creator.createGroup(clients.get(0).room(), List.of(creator.externalSenderOf(botUser)));
        // the group forms while the first warm-up block waits for every member to see all others
        phase.pause();
    }

    /**
     * The bot steps as `mlsbridge bridge` steps it ({@link BotTurns}): when the relay read something
     * it acts on, and at least once a second, not on every message (each step is a /sync of its
     * own Matrix device).
     */
    private static BackgroundLoop.Step botTurns(BridgeRelay relay, ExternalSenderBot bot) {
        BotTurns turns = new BotTurns(List.of(relay.counters()), false);
        return () -> {
            long now = System.nanoTime();
            if (!turns.due(now)) {
                Thread.sleep(BOT_CHECK_EVERY_MS);
                return 0;
            }
            BotTurns.Seen before = turns.seen();
            int n = bot.step(500, Duration.ZERO);
            turns.took(now, before, n);
            return n;
        };
    }

    /** Two more rooms joined by the plain relay, and its members; paused until its first block. */
    private void setUpPlain(RunningPhase phase) throws Exception {
        phase.show("rooms and relay");
        List<UserId> members = phase.members();
        UserId relayX = xmpp.register(runId + "relay");
        UserId relayM = matrix.register(runId + "relay");
        Transport rx = TimedTransport.relay(xmpp.connect(relayX), phase.book(), phase.trace());
        RoomId roomX = xmpp.createRoom(rx, runId + "plain");
        Transport rm = TimedTransport.relay(matrix.connect(relayM), phase.book(), phase.trace());
        RoomId roomM = matrix.createRoom(rm, runId + "plain");
        ReadAhead ahead = new ReadAhead();
        PlainRelay relay = phase.own(new PlainRelay(new RoomSide(roomX, ahead.wrap(rx)),
                new RoomSide(roomM, ahead.wrap(rm)), store("plain-relay")));
        phase.runInBackground("plain-relay", timed(phase.book(), "bridge step call",
                () -> relay.step(500, Duration.ofMillis(50))));
        for (int i = 0; i < members.size(); i++) {
            UserId u = members.get(i);
            RoomId room = u.network() == UserId.Network.XMPP ? roomX : roomM;
            phase.show("member " + (i + 1) + "/" + members.size() + " joins");
            Transport t = TimedTransport.member(networkOf(u).connect(u), phase.book(), phase.trace(), i);
            networkOf(u).admit(u.network() == UserId.Network.XMPP ? rx : rm, room, u);
            networkOf(u).enter(t, room);
            phase.add(new PlainMember(i, t, room, phase.tally(), runId));
        }
        phase.pause();
    }
}
