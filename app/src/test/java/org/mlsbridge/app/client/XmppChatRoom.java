package org.mlsbridge.app.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.app.faults.XmppNetwork;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.config.ConfigLoader;

/**
 * The chat client's XMPP tests' room on a private Prosody: accounts bot, alice and bob; a
 * members-only room owned by the bot, alice let in; the room's bot (its external sender) stepping
 * on a thread of its own; and chat sessions started on it, each from a configuration file.
 */
final class XmppChatRoom implements AutoCloseable {
    private static final ClientOptions OPTIONS = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));

    private final Path dir;
    private final XmppNetwork network;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean stop = new AtomicBoolean();
    /**
     * Fair: the bot's loop takes it again as soon as it lets go, and an unfair lock let that loop
     * barge ahead of a waiting {@link #admit} turn after turn (a CI run hung there for minutes).
     */
    private final ReentrantLock botTurn = new ReentrantLock(true);
    private Transport botTransport;
    private RoomId room;
    private ExternalSenderBot bot;
    private Future<?> botLoop;

    private XmppChatRoom(Path dir) throws Exception {
        this.dir = dir;
        this.network = new XmppNetwork();
    }

    /** A new server and the room on it, with the bot's database and every configuration file in {@code dir}. */
    static XmppChatRoom open(Path dir) throws Exception {
        XmppChatRoom r = new XmppChatRoom(dir);
        try {
            r.start();
            return r;
        } catch (Exception | Error e) {
            r.close();
            throw e;
        }
    }

    private void start() throws Exception {
        for (String u : List.of("bot", "alice", "bob")) {
            network.register(u);
        }
        botTransport = network.connect("bot", network.port());
        room = network.createRoom(botTransport);
        network.admit(botTransport, room, "alice");
        bot = new ExternalSenderBot(botTransport, Connections.store(dir.resolve("bot.db"), dir.resolve("bot.kek")),
                OPTIONS);
        botLoop = threads.submit(() -> {
            while (!stop.get()) {
                botTurn.lock();
                try {
                    bot.step(200, Duration.ofMillis(100));
                } finally {
                    botTurn.unlock();
                }
            }
            return null;
        });
    }

    /** A chat session of {@code user}, already let into the room, its database and key in {@code data}. */
    ChatDriver session(String user, Path data) throws Exception {
        Path file = dir.resolve(user + ".yaml");
        Files.writeString(file, network.clientYaml(user, room, "bot", network.port(), data.resolve(user + ".db"),
                data.resolve(user + ".kek"), dir.resolve(user + "-password")));
        return new ChatDriver(ConfigLoader.load(file).config().forClient(), OPTIONS, threads);
    }

    /**
     * Lets {@code user} into the room and starts its session, signed in, before the bot looks at
     * the room again: the bot claims a KeyPackage as soon as it sees a new member, so the client
     * has published them by then (the order an administrator would follow: the user starts the
     * client, then is let in).
     */
    ChatDriver admit(String user, Path data) throws Exception {
        botTurn.lock();
        try {
            network.admit(botTransport, room, user);
            ChatDriver d = session(user, data);
            d.await("*** signed in as " + network.user(user).value());
            return d;
        } finally {
            botTurn.unlock();
        }
    }

    /** Stops the bot (after its turn at hand), every session's thread and the server. */
    @Override
    public void close() throws Exception {
        stop.set(true);
        try {
            if (botLoop != null) {
                botLoop.get(30, TimeUnit.SECONDS);
            }
        } finally {
            try {
                if (bot != null) {
                    bot.close();
                } else if (botTransport != null) {
                    botTransport.close();
                }
            } finally {
                threads.shutdownNow();
                network.close();
            }
        }
    }
}
