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
 * of an earlier run is in the way, and both phases sign in as the same ones ({@link RunAccounts}):
 * member i of the plain phase is member i of the MLS phase, and the plain relay is the bridge's
 * accounts, each phase on connections of its own (on Matrix, devices of its own). Synapse wakes a
 * room's waiting {@code /sync}s by walking a set of per-user stream objects, in an order fixed by
 * where each object sits in memory and kept for the whole run (docs/performance.md, "the relay's
 * Matrix pick-up is drawn once per run"). With accounts of their own, each phase drew its own
 * order, and the relay's place in it moved a whole phase's Matrix-to-XMPP latency by up to 23 ms
 * either way; with the same accounts both phases' rooms hold the same objects and meet one draw.
 *
 * <p>On Matrix an account's connections then also read the other phase's room. Every reader keeps
 * to its own: the relays and the bot skip other rooms' events themselves, the plain members read
 * only their room's messages, and the MLS members' clients read through a {@link OneRoomTransport}.
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
        RunAccounts accounts = RunAccounts.register(xmpp, matrix, runId, settings.membersPerNetwork());
        try (RunningPhase mls = phase("mls", "MLS phase", accounts.members());
                RunningPhase plain = phase("plain", "plain phase", accounts.members())) {
            setUpMls(mls, accounts);
            setUpPlain(plain, accounts);
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

    /** Where the encrypted store {@code name} is, in the run's folder. */
    Path storeFile(String name) {
        return dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".db");
    }

    /** The encrypted store {@code name} (also to read, after the run, what a client kept in it). */
    ClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(storeFile(name), kek));
    }

    /** The MLS group's rooms, bridge, bot and clients; paused until its first block. */
    private void setUpMls(RunningPhase phase, RunAccounts accounts) throws Exception {
        phase.show("rooms and bridge");
        List<UserId> members = phase.members();
        UserId bridgeX = accounts.bridgeXmpp();
        UserId bridgeM = accounts.bridgeMatrix();
        UserId botUser = accounts.bot();
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
        // The bridge's Matrix account is the plain relay's too, so bm and bmForBot also read the
        // plain room: the relay acts only on its own rooms' messages, and PairedTransport hands
        // the bot nothing of a room outside its pair. (bm's poll running ahead while the phase is
        // paused thus ends at the plain block's first Matrix message, one more /sync answer, and
        // its events wait for the next MLS block; the same holds the other way round.)
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
            MemberClient client = new MemberClient(new OneRoomTransport(t, room), store(u.value()), options);
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

    /**
     * Two more rooms joined by the plain relay, and its members; paused until its first block. The
     * relay signs in as the bridge's accounts and the members as the MLS phase's, each on a
     * connection of its own ({@link LoadNetwork#connectForPlainPhase}).
     */
    private void setUpPlain(RunningPhase phase, RunAccounts accounts) throws Exception {
        phase.show("rooms and relay");
        List<UserId> members = phase.members();
        Transport rx = TimedTransport.relay(xmpp.connectForPlainPhase(accounts.bridgeXmpp()), phase.book(),
                phase.trace());
        RoomId roomX = xmpp.createRoom(rx, runId + "plain");
        Transport rm = TimedTransport.relay(matrix.connectForPlainPhase(accounts.bridgeMatrix()), phase.book(),
                phase.trace());
        RoomId roomM = matrix.createRoom(rm, runId + "plain");
        // rm also reads the MLS room (the same account as the bridge's): the relay copies only
        // its own rooms' messages
        ReadAhead ahead = new ReadAhead();
        PlainRelay relay = phase.own(new PlainRelay(new RoomSide(roomX, ahead.wrap(rx)),
                new RoomSide(roomM, ahead.wrap(rm)), store("plain-relay")));
        phase.runInBackground("plain-relay", timed(phase.book(), "bridge step call",
                () -> relay.step(500, Duration.ofMillis(50))));
        for (int i = 0; i < members.size(); i++) {
            UserId u = members.get(i);
            RoomId room = u.network() == UserId.Network.XMPP ? roomX : roomM;
            phase.show("member " + (i + 1) + "/" + members.size() + " joins");
            Transport t = TimedTransport.member(networkOf(u).connectForPlainPhase(u), phase.book(), phase.trace(),
                    i);
            networkOf(u).admit(u.network() == UserId.Network.XMPP ? rx : rm, room, u);
            networkOf(u).enter(t, room);
            phase.add(new PlainMember(i, t, room, phase.tally(), runId));
        }
        phase.pause();
    }
}
