package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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
            ChatDriver alice = new ChatDriver(config("alice", room), options, threads);
            alice.type("/create");
            alice.await("group created with bot@localhost as external sender");
            // The bot claims a KeyPackage as soon as it sees bob become a member of the room, so bob's
            // client has published them by then (as in the order an administrator would follow:
            // the user starts the client, then is let in).
            botTurn.lock();
            ChatDriver bob;
            try {
                botTransport.admin().grantMembership(room, new UserId("xmpp:bob@" + ProsodyServer.DOMAIN));
                bob = new ChatDriver(config("bob", room), options, threads);
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
}
