package org.mlsbridge.app.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.app.metrics.MetricsServer;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberModeBot;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.relay.BridgeRelay;
import org.mlsbridge.bridge.relay.PairedTransport;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.store.StoreException;
import org.mlsbridge.bridge.transport.ReadAhead;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.config.BotMode;
import org.mlsbridge.config.BridgeSettings;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.config.RoomPair;
import org.mlsbridge.matrix.MatrixTransport;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * The bridge of a configuration, running against real servers: one {@link BridgeRelay} per
 * configured pair (XMPP room = room A, Matrix room = room B, each pair one MLS group) and one
 * {@link ExternalSenderBot} for all pairs, sharing the bridge's two accounts, one SQLite file,
 * and the metrics endpoint.
 *
 * <pre>{@code
 * try (Bridge bridge = Bridge.open(config.forBridge(), System.out::println)) {
 *     bridge.start();                 // the loop on a thread of its own; or bridge.run() on this one
 *     ...
 *     bridge.stop();                  // finishes the current event and returns; close() does it too
 * }
 * }</pre>
 *
 * <p>Connections: the XMPP account once (the relays' room A and the bot's home), the Matrix
 * account as the configured {@code device-id} (the relays' room B; Welcomes for XMPP joiners
 * arrive there) and as a second device, {@code <device-id>-MEMBERS} (the bot's view of room B's
 * membership), so that the two readers never consume each other's to-device messages. The bot's
 * proposals go through each pair's relay ({@link org.mlsbridge.bridge.relay.Sequencer}), since
 * members take every post of the bridge account as sequenced. The bot is an external sender under
 * both accounts (its last_resort KeyPackage published on each network), so a pair's group may be
 * created by a member on either side.
 */
public final class Bridge implements AutoCloseable {
    /** Suffix of the Matrix device that reads room membership for the bot. */
    public static final String MEMBERS_DEVICE_SUFFIX = org.mlsbridge.config.MatrixAccount.MEMBERS_DEVICE_SUFFIX;

    private final Connections connections;
    private final SqliteClientStore store;
    private final XmppTransport xmpp;
    private final MatrixTransport matrix;
    private final MatrixTransport matrixMembers;
    private final List<BridgeRelay> relays;
    private final BridgeBot bot;
    private final BridgeLoop loop;
    private final MetricsServer metrics;
    private final Consumer<String> say;
    private Thread thread;

    private Bridge(Connections connections, SqliteClientStore store, XmppTransport xmpp, MatrixTransport matrix,
            MatrixTransport matrixMembers, List<BridgeRelay> relays, BridgeBot bot, BridgeLoop loop,
            MetricsServer metrics, Consumer<String> say) {
        this.connections = connections;
        this.store = store;
        this.xmpp = xmpp;
        this.matrix = matrix;
        this.matrixMembers = matrixMembers;
        this.relays = relays;
        this.bot = bot;
        this.loop = loop;
        this.metrics = metrics;
        this.say = say;
    }

    /**
     * Opens the database, signs in on both networks, enters every room, starts the metrics
     * endpoint. Nothing runs until {@link #run} or {@link #start}.
     *
     * @param say takes each progress line for the operator (never a secret or a message)
     * @throws BridgeStartException something the operator must fix (message in one line)
     */
    public static Bridge open(MlsbridgeConfig.ForBridge config, Consumer<String> say)
            throws BridgeStartException, InterruptedException {
        BridgeSettings settings = config.bridge();
        UserId xmppUser = new UserId(config.xmpp().uri());
        UserId matrixUser = new UserId(config.matrix().uri());
        ClientOptions options = options(settings, xmppUser, matrixUser);
        Connections connections = new Connections();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            SqliteClientStore store;
            try {
                store = Connections.store(settings.database(), settings.keyEncryptionKeyFile());
            } catch (StoreException | IllegalArgumentException | IllegalStateException e) {
                throw new BridgeStartException("cannot open the database " + settings.database() + ": "
                        + e.getMessage());
            }
            opened.add(store);
            say.accept("database " + settings.database());
            XmppTransport xmpp = signIn(() -> connections.xmpp(config.xmpp()), "XMPP as " + xmppUser);
            opened.add(xmpp);
            String device = config.matrix().deviceId();
            MatrixTransport matrix = signIn(() -> connections.matrix(config.matrix(), device),
                    "Matrix as " + config.matrix().userId());
            opened.add(matrix);
            MatrixTransport matrixMembers = signIn(() -> connections.matrix(config.matrix(),
                    device + MEMBERS_DEVICE_SUFFIX), "Matrix as " + config.matrix().userId());
            opened.add(matrixMembers);
            say.accept("signed in: " + xmppUser + " on " + config.xmpp().host() + ":" + config.xmpp().port()
                    + ", " + matrixUser + " on " + config.matrix().homeserver() + " (devices " + device + " and "
                    + device + MEMBERS_DEVICE_SUFFIX + ")");
            List<BridgeRelay> relays = new ArrayList<>();
            List<PairedTransport.Pair> pairs = new ArrayList<>();
            // every relay reads its rooms ahead into one signal, which ends the loop's idle wait
            ReadAhead ahead = new ReadAhead();
            for (RoomPair p : settings.rooms()) {
                RoomId a = new RoomId(p.xmppRoom());
                RoomId b = new RoomId(p.matrixRoom());
                try {
                    xmpp.join(a);
                } catch (TransportException e) {
                    throw new BridgeStartException("cannot enter the XMPP room " + a + ": " + e.getMessage());
                }
                try {
                    matrix.join(b);
                } catch (TransportException e) {
                    throw new BridgeStartException("cannot join the Matrix room " + b + " (invite " + matrixUser
                            + " first): " + e.getMessage());
                }
                BridgeRelay relay = new BridgeRelay(pairName(p), new RoomSide(a, ahead.wrap(xmpp)),
                        new RoomSide(b, ahead.wrap(matrix)), store, options);
                relays.add(relay);
                pairs.add(new PairedTransport.Pair(a, b, Optional.of(relay)));
            }
            BridgeBot bot;
            PairedTransport botView = new PairedTransport(xmpp, matrixMembers, pairs, Set.of(xmppUser, matrixUser));
            try {
                if (settings.botMode() == BotMode.MEMBER) {
                    bot = memberBot(botView, store, options, pairs, say);
                } else {
                    // an external sender under both accounts, so a group's creator may be on either network
                    ExternalSenderBot external = new ExternalSenderBot(botView, store, options, List.of(matrix));
                    for (PairedTransport.Pair p : pairs) {
                        external.follow(p.home());
                    }
                    bot = new BridgeBot.ExternalSender(external);
                }
            } catch (TransportException e) {
                throw new BridgeStartException("cannot start the bot: " + e.getMessage());
            }
            for (RoomPair p : settings.rooms()) {
                say.accept("pair: XMPP " + p.xmppRoom() + " <-> Matrix " + p.matrixRoom() + " (one MLS group; "
                        + (settings.botMode() == BotMode.MEMBER ? "member mode: the bridge is a member and CAN read it)"
                                : "external-sender mode: the bridge holds no group secret)"));
            }
            // the accounts that publish: XMPP (the bot's home, its pool in member mode) and Matrix's configured device
            KeyPackageLevels levels = new KeyPackageLevels(Map.of("xmpp", xmpp, "matrix", matrix));
            BridgeMetrics source = new BridgeMetrics(xmppUser.value(), bot.counters(), relays, levels);
            BridgeLoop loop = new BridgeLoop(relays, bot, source, say);
            MetricsServer metrics;
            try {
                metrics = MetricsServer.start(settings.metricsListen(), List.of(source));
            } catch (IOException | IllegalArgumentException e) {
                throw new BridgeStartException("cannot serve metrics on " + settings.metricsListen() + ": "
                        + e.getMessage());
            }
            say.accept("metrics on http://" + settings.metricsListen().getHostString() + ":" + metrics.port()
                    + "/metrics, health on /health");
            return new Bridge(connections, store, xmpp, matrix, matrixMembers, relays, bot, loop, metrics, say);
        } catch (BridgeStartException | InterruptedException | RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            connections.close();
            throw e;
        }
    }

    private interface SignIn<T> {
        T run() throws TransportException, InterruptedException;
    }

    private static <T> T signIn(SignIn<T> s, String what) throws BridgeStartException, InterruptedException {
        try {
            return s.run();
        } catch (TransportException e) {
            throw new BridgeStartException("cannot sign in to " + what + ": " + e.getMessage());
        }
    }

    /** Each room's sequencer is the bridge's account on its network (docs/wire-formats.md, "The bridge"). */
    static ClientOptions options(BridgeSettings settings, UserId xmppUser, UserId matrixUser) {
        Map<RoomId, RoomPolicy> policies = new HashMap<>();
        for (RoomPair p : settings.rooms()) {
            policies.put(new RoomId(p.xmppRoom()), RoomPolicy.DEFAULT.withSequencer(xmppUser));
            policies.put(new RoomId(p.matrixRoom()), RoomPolicy.DEFAULT.withSequencer(matrixUser));
        }
        Map<RoomId, RoomPolicy> fixed = Map.copyOf(policies);
        return ClientOptions.DEFAULT.withPolicies(room -> fixed.getOrDefault(room, RoomPolicy.DEFAULT));
    }

    /** A relay's name in the store: from its rooms, so reordering the configured pairs changes nothing. */
    static String pairName(RoomPair p) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((p.xmppRoom() + "\n" + p.matrixRoom())
                    .getBytes(StandardCharsets.UTF_8));
            return "pair-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The port of the metrics endpoint (useful with port 0 in the configuration). */
    public int metricsPort() {
        return metrics.port();
    }

    /** The relays, one per configured pair, in the configuration's order (read their counters only). */
    public List<BridgeRelay> relays() {
        return List.copyOf(relays);
    }

    /** Runs the loop on this thread until {@link #stop}; each event is finished before it returns. */
    public void run() throws InterruptedException {
        loop.run();
    }

    /** Runs the loop on a thread of its own. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofPlatform().name("mlsbridge-bridge").start(() -> {
            try {
                loop.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Asks the loop to return after the current event; safe from any thread (a signal handler too). */
    public void requestStop() {
        loop.requestStop();
    }

    /** Stops the loop started by {@link #start} and waits for it. */
    public void stop() throws InterruptedException {
        loop.requestStop();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /** Stops the loop, then closes the metrics endpoint, the connections and the database. */
    @Override
    public void close() throws InterruptedException {
        stop();
        metrics.close();
        xmpp.close();
        matrix.close();
        matrixMembers.close();
        connections.close();
        store.close();
        say.accept("stopped: " + loop.summary());
    }

    /**
     * Member mode: the bot is a member of every pair's group (it creates the group if the pair has
     * none) and commits membership itself; room members without an MLS client are legacy users,
     * gatewayed both ways: their messages go into the group, marked as not end-to-end encrypted, and
     * the group's messages are posted to them in the clear. Said loudly, since the bridge can then
     * read the rooms and a room with a legacy user sees everything in the clear.
     */
    private static BridgeBot memberBot(PairedTransport view, SqliteClientStore store, ClientOptions options,
            List<PairedTransport.Pair> pairs, Consumer<String> say) throws TransportException, BridgeStartException {
        say.accept("WARNING: bot-mode member: the bridge is a MEMBER of every bridged group and can read it; users "
                + "without an MLS client (legacy users) are NOT end-to-end encrypted: the bridge reads and relays "
                + "their messages, and posts everything the group says IN THE CLEAR into a room where one of them "
                + "is. Use external-sender (the default) unless you need that.");
        MemberModeBot member = new MemberModeBot(view, store, options, view);
        for (PairedTransport.Pair p : pairs) {
            try {
                member.manage(p.home());
            } catch (org.mlsbridge.mls.MlsException e) {
                throw new BridgeStartException("cannot start the group of " + p.home() + ": " + e.getMessage());
            }
        }
        return new BridgeBot.Member(member);
    }
}
