package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.xmpp.ProsodyServer;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * Two chat clients on a real Prosody, driven through their input and output streams: one creates
 * the room's group, the room's bot adds the other, each reads the other's message.
 */
class ChatSessionXmppTest {
    private static final Duration T = Duration.ofSeconds(90);
    private static ProsodyServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = ProsodyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void twoClientsTalkThroughTheRoomsGroup() throws Exception {
        for (String u : List.of("bot", "alice", "bob")) {
            server.register(u);
        }
        RoomId room = new RoomId("lounge@" + ProsodyServer.MUC);
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicBoolean stop = new AtomicBoolean();
        XmppTransport botTransport = XmppTransport.connect(server.account("bot"));
        botTransport.join(room);
        botTransport.admin().configureForMls(room);
        botTransport.admin().grantMembership(room, new UserId("xmpp:alice@" + ProsodyServer.DOMAIN));
        ExternalSenderBot bot = new ExternalSenderBot(botTransport, Connections.store(dir.resolve("bot.db"),
                dir.resolve("bot.kek")), options);
        ReentrantLock botTurn = new ReentrantLock();
        Future<?> botLoop = threads.submit(() -> {
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
        try {
            Chat alice = new Chat(config("alice", room), options, threads);
            alice.type("/create");
            alice.await("group created with bot@localhost as external sender");
            // The bot claims a KeyPackage as soon as it sees bob become a member of the room, so bob's
            // client has published them by then (as in the order an administrator would follow:
            // the user starts the client, then is let in).
            botTurn.lock();
            Chat bob;
            try {
                botTransport.admin().grantMembership(room, new UserId("xmpp:bob@" + ProsodyServer.DOMAIN));
                bob = new Chat(config("bob", room), options, threads);
                bob.await("*** signed in as xmpp:bob@localhost");
            } finally {
                botTurn.unlock();
            }
            bob.await("*** in the group");
            alice.await("*** bob@localhost is now in the group");

            alice.type("hello bob");
            bob.await("<alice@localhost> hello bob");
            bob.type("hi alice");
            alice.await("<bob@localhost> hi alice");

            bob.type("/members");
            bob.await("    xmpp:alice@localhost  ");
            bob.await("    xmpp:bob@localhost  ");
            alice.type("/epoch");
            bob.type("/epoch");
            String aliceEpoch = alice.await("*** epoch ", ", authenticator ");
            String bobEpoch = bob.await("*** epoch ", ", authenticator ");
            assertThat(bobEpoch).isEqualTo(aliceEpoch);
            bob.type("/bogus");
            bob.await("! unknown command /bogus; /help lists them");

            alice.type("/quit");
            bob.type("/quit");
            assertThat(alice.exitCode()).isZero();
            assertThat(bob.exitCode()).isZero();
            assertThat(alice.lines).noneMatch(l -> l.startsWith("! ") && !l.contains("unknown command"));
        } finally {
            stop.set(true);
            botLoop.get(30, TimeUnit.SECONDS);
            bot.close();
            threads.shutdownNow();
        }
    }

    private MlsbridgeConfig.ForClient config(String user, RoomId room) throws Exception {
        Path password = dir.resolve(user + "-password");
        Files.writeString(password, ProsodyServer.PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve(user + ".yaml");
        Files.writeString(file, """
                xmpp:
                  jid: %s@%s
                  host: 127.0.0.1
                  port: %d
                  password-file: %s
                client:
                  network: xmpp
                  room: %s
                  bot: xmpp:bot@%s
                  database: %s.db
                  key-encryption-key-file: %s.kek
                """.formatted(user, ProsodyServer.DOMAIN, server.account(user).port(), password.getFileName(),
                room.value(), ProsodyServer.DOMAIN, user, user));
        return ConfigLoader.load(file).config().forClient();
    }

    /** One client session fed through a pipe, its output lines collected. */
    private static final class Chat {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final PrintStream input;
        private final Future<Integer> result;
        private int seen;

        Chat(MlsbridgeConfig.ForClient config, ClientOptions options, ExecutorService threads) throws IOException {
            PipedInputStream pipe = new PipedInputStream();
            input = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
            result = threads.submit(() -> new ChatSession(config, options).run(in::readLine, lines::add));
        }

        void type(String line) {
            input.println(line);
        }

        /** Waits for a line after the last one awaited that contains every part; returns it. */
        String await(String... parts) throws Exception {
            long deadline = System.nanoTime() + T.toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = seen; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (List.of(parts).stream().allMatch(l::contains)) {
                        seen = i + 1;
                        return l;
                    }
                }
                if (result.isDone()) {
                    break;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no line with " + List.of(parts) + " in:\n" + String.join("\n", lines));
        }

        int exitCode() throws Exception {
            return result.get(30, TimeUnit.SECONDS);
        }
    }
}
