package org.mlsbridge.app.load;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicy;

/**
 * The load run: the same members (half on XMPP, half on Matrix) send the same schedule of messages
 * twice through the same two servers, first as one MLS group across an XMPP room and a Matrix room
 * joined by the MLS bridge ({@link BridgeRelay} and its external-sender bot, in this process), then
 * as plain room messages across two other rooms joined by a {@link PlainRelay}. Every member runs
 * on a thread of its own, with its own connection (and, for MLS, its own encrypted SQLite store).
 *
 * <p>Accounts are fresh for every run (named after a random run id), so no KeyPackage or archive
 * of an earlier run is in the way. The MLS phase comes first: the plain phase's connections then
 * start from where each member's MLS client stopped reading. Each phase measures only after a
 * warm-up of its own ({@link LoadSettings#warmUpMessages}), so neither measures the JIT compiling
 * its path, and the plain phase gains nothing from running second.
 */
public final class LoadRunner {
    private static final Duration SETTLE = Duration.ofSeconds(2);
    /** How often the bot's thread looks whether a turn is due. */
    private static final long BOT_CHECK_EVERY_MS = 20;

    private final LoadNetwork xmpp;
    private final LoadNetwork matrix;
    private final LoadSettings settings;
    private final Path dir;
    private final Duration formationTimeout;
    private final PhaseDriver.Progress progress;
    private final CpuMeter cpu;
    /** CPU ms per message of each measured process, per phase, during its traffic. */
    private final Map<String, Map<String, Double>> cpuPerMessage = new HashMap<>();
    private final KeyEncryptionKey kek;
    private final String runId;
    private final List<UserId> members = new ArrayList<>();
    private final Map<UserId, Optional<Cursor>> cursors = new HashMap<>();

    LoadRunner(LoadNetwork xmpp, LoadNetwork matrix, LoadSettings settings, Path dir, Duration formationTimeout,
            PhaseDriver.Progress progress, CpuMeter cpu) {
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
        for (int i = 1; i <= settings.membersPerNetwork(); i++) {
            members.add(xmpp.register(runId + "x" + i));
            members.add(matrix.register(runId + "m" + i));
        }
        PhaseResult mls = mlsPhase();
        PhaseResult plain = plainPhase();
        return new LoadReport(settings, runId, mls, plain, (System.nanoTime() - t0) / 1e9);
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

    private List<UserId> on(UserId.Network n) {
        return members.stream().filter(u -> u.network() == n).toList();
    }

    private ClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".db"),
                kek));
    }

    private PhaseResult mlsPhase() throws Exception {
        progress.show("MLS phase: rooms and bridge");
        UserId bridgeX = xmpp.register(runId + "bridge");
        UserId bridgeM = matrix.register(runId + "bridge");
        UserId botUser = xmpp.register(runId + "bot");
        TimeBook book = new TimeBook();
        PathTrace trace = new PathTrace(settings.messages(), members.size());
        Transport bx = TimedTransport.relay(xmpp.connect(bridgeX), book, trace);
        RoomId roomX = xmpp.createRoom(bx, runId + "mls");
        Transport bm = TimedTransport.relay(matrix.connect(bridgeM), book, trace);
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

        Tally tally = new Tally(settings, members);
        List<MlsMember> phase = new ArrayList<>();
        List<BackgroundLoop> background = new ArrayList<>();
        try (BridgeRelay relay = new BridgeRelay(new RoomSide(roomX, bx), new RoomSide(roomM, bm), store("bridge"),
                options);
                ExternalSenderBot bot = new ExternalSenderBot(new PairedTransport(botTransport, roomX, bmForBot, roomM,
                        Set.of(bridgeX, bridgeM)), store("bot"), options)) {
            background.add(new BackgroundLoop("relay", timed(book, "bridge step call",
                    () -> relay.step(500, Duration.ofMillis(50)))));
            background.add(new BackgroundLoop("bot", botTurns(relay, bot)));
            drive("mls", phase, background, tally, book, trace, "MLS phase: group forming, ", "MLS phase: ", () -> {
                // Every client publishes its KeyPackages, then enters its room; the first creates the
                // group once all are in, so the bot proposes all Adds at once and one commit (and its
                // Welcomes) brings everyone in.
                List<Transport> transports = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    UserId u = members.get(i);
                    RoomId room = u.network() == UserId.Network.XMPP ? roomX : roomM;
                    progress.show("MLS phase: member " + (i + 1) + "/" + members.size() + " signs in");
                    Transport t = TimedTransport.member(networkOf(u).connect(u), book, trace, i);
                    transports.add(t);
                    ClientStore store = store(u.value());
                    MemberClient client = new MemberClient(t, store, options);
                    phase.add(new MlsMember(i, client, store, room, tally));
                }
                for (int i = 0; i < members.size(); i++) {
                    UserId u = members.get(i);
                    MlsMember m = phase.get(i);
                    progress.show("MLS phase: member " + (i + 1) + "/" + members.size() + " enters the room");
                    networkOf(u).admit(u.network() == UserId.Network.XMPP ? bx : bm, m.room(), u);
                    networkOf(u).enter(transports.get(i), m.room());
                }
                MemberClient creator = phase.get(0).client();
                creator.createGroup(phase.get(0).room(), List.of(creator.externalSenderOf(botUser)));
            });
            long undecryptable = 0;
            for (MlsMember m : phase) {
                undecryptable += m.client().counters().decryptionFailures();
                cursors.put(m.client().self(), m.cursor());
            }
            return PhaseResult.of("mls", tally, undecryptable, book, trace, cpuPerMessage.getOrDefault("mls", Map.of()));
        } finally {
            for (MlsMember m : phase) {
                m.close();
            }
        }
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
     * The part both phases share, so they are driven alike: {@code setUp} fills {@code phase}, then a
     * thread per member, the wait until all are ready, the traffic; then every member loop and
     * background loop is stopped, also when something failed.
     */
    private void drive(String name, List<? extends PhaseMember> phase, List<BackgroundLoop> background, Tally tally,
            TimeBook book, PathTrace trace, String forming, String running, SetUp setUp) throws Exception {
        List<MemberLoop> loops = new ArrayList<>();
        try {
            setUp.run();
            warmUp(name, phase, background, tally, forming, running);
            for (MemberLoop l : loops(name, phase, settings, tally, book, trace)) {
                loops.add(l);
                l.startThread();
            }
            PhaseDriver.awaitReady(loops, background, SETTLE, formationTimeout, s -> progress.show(running + s));
            Map<String, Duration> before = cpu.used();
            PhaseDriver.traffic(loops, background, tally, book, s -> progress.show(running + s));
            cpuPerMessage.put(name, CpuMeter.perMessage(before, cpu.used(), settings.messages()));
        } finally {
            PhaseDriver.stop(loops, background);
        }
    }

    private List<MemberLoop> loops(String name, List<? extends PhaseMember> phase, LoadSettings s, Tally tally,
            TimeBook book, PathTrace trace) {
        List<MemberLoop> loops = new ArrayList<>();
        for (int i = 0; i < phase.size(); i++) {
            loops.add(new MemberLoop(name + "-" + tally.round() + "-" + i, i, phase.get(i), s, tally, book, trace));
        }
        return loops;
    }

    /**
     * The phase's warm-up ({@link LoadSettings#warmUpMessages}): once the members are ready, the
     * same kind of traffic, through the same members, relay and bot, counted apart and not
     * measured; it must arrive complete like the measured traffic. The members count into the
     * phase's own tally afterwards.
     */
    private void warmUp(String name, List<? extends PhaseMember> phase, List<BackgroundLoop> background,
            Tally measured, String forming, String running) throws Exception {
        LoadSettings w = settings.warmUp();
        Tally warm = new Tally(w, members, "warm-up");
        TimeBook unused = new TimeBook();
        for (PhaseMember m : phase) {
            m.countInto(warm);
        }
        List<MemberLoop> loops = loops(name, phase, w, warm, unused, new PathTrace(w.messages(), members.size()));
        try {
            for (MemberLoop l : loops) {
                l.startThread();
            }
            PhaseDriver.awaitReady(loops, background, SETTLE, formationTimeout, s -> progress.show(forming + s));
            PhaseDriver.traffic(loops, background, warm, unused, s -> progress.show(running + "warm-up, " + s));
        } finally {
            for (MemberLoop l : loops) {
                l.stop();
            }
        }
        if (!warm.complete() || warm.duplicates() > 0 || warm.misattributed() > 0) {
            throw new IllegalStateException(name + " phase warm-up: " + warm.delivered() + " of "
                    + warm.expectedDeliveries() + " reads, " + warm.duplicates() + " duplicates, "
                    + warm.misattributed() + " not the message sent");
        }
        for (PhaseMember m : phase) {
            m.countInto(measured);
        }
    }

    /** A phase's accounts, rooms and members, made while its relay already runs. */
    @FunctionalInterface
    private interface SetUp {
        void run() throws Exception;
    }

    private PhaseResult plainPhase() throws Exception {
        progress.show("plain phase: rooms and relay");
        UserId relayX = xmpp.register(runId + "relay");
        UserId relayM = matrix.register(runId + "relay");
        TimeBook book = new TimeBook();
        PathTrace trace = new PathTrace(settings.messages(), members.size());
        Transport rx = TimedTransport.relay(xmpp.connect(relayX), book, trace);
        RoomId roomX = xmpp.createRoom(rx, runId + "plain");
        Transport rm = TimedTransport.relay(matrix.connect(relayM), book, trace);
        RoomId roomM = matrix.createRoom(rm, runId + "plain");
        Tally tally = new Tally(settings, members);
        List<PlainMember> phase = new ArrayList<>();
        List<BackgroundLoop> background = new ArrayList<>();
        try (PlainRelay relay = new PlainRelay(new RoomSide(roomX, rx), new RoomSide(roomM, rm), store("plain-relay"))) {
            background.add(new BackgroundLoop("plain-relay", timed(book, "bridge step call",
                    () -> relay.step(500, Duration.ofMillis(50)))));
            drive("plain", phase, background, tally, book, trace, "plain phase: ", "plain phase: ", () -> {
                for (int i = 0; i < members.size(); i++) {
                    UserId u = members.get(i);
                    RoomId room = u.network() == UserId.Network.XMPP ? roomX : roomM;
                    progress.show("plain phase: member " + (i + 1) + "/" + members.size() + " joins");
                    Transport t = TimedTransport.member(networkOf(u).connect(u), book, trace, i);
                    networkOf(u).admit(u.network() == UserId.Network.XMPP ? rx : rm, room, u);
                    networkOf(u).enter(t, room);
                    phase.add(new PlainMember(i, t, room, cursors.getOrDefault(u, Optional.empty()), tally, runId));
                }
            });
            return PhaseResult.of("plain", tally, 0, book, trace, cpuPerMessage.getOrDefault("plain", Map.of()));
        } finally {
            for (PlainMember m : phase) {
                m.close();
            }
        }
    }
}
