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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.app.faults.Tmpfs;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.xmpp.ProsodyServer;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * The chat client whose disk fills up (its database on a size-limited tmpfs), on a real Prosody:
 * what the user types is refused with the reason and sent nowhere, the client says once that
 * incoming messages wait on the server, keeps running, and once space returns shows what arrived
 * meanwhile and sends again.
 */
class ChatSessionFullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskRefusesInputClearlyAndTheClientResumesWhenSpaceReturns() throws Exception {
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicBoolean stop = new AtomicBoolean();
        try (ProsodyServer server = ProsodyServer.start(); Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 4)) {
            for (String u : List.of("bot", "alice", "bob")) {
                server.register(u);
            }
            RoomId room = new RoomId("lounge@" + ProsodyServer.MUC);
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
                ChatDriver alice = new ChatDriver(config(server, "alice", room, disk.path()), options, threads);
                alice.type("/create");
                alice.await("group created");
                botTurn.lock();
                ChatDriver bob;
                try {
                    botTransport.admin().grantMembership(room, new UserId("xmpp:bob@" + ProsodyServer.DOMAIN));
                    bob = new ChatDriver(config(server, "bob", room, dir), options, threads);
                    bob.await("*** signed in as xmpp:bob@localhost");
                } finally {
                    botTurn.unlock();
                }
                bob.await("*** in the group");
                alice.await("*** bob@localhost is now in the group");
                alice.type("before");
                bob.await("<alice@localhost> before");

                disk.fill();
                // SQLite may still have room in its write-ahead log for a line or two: those are stored and
                // sent; the first line that needs a new block is refused and goes nowhere
                String refused = null;
                for (int i = 0; i < 20 && refused == null; i++) {
                    alice.type("while full " + i);
                    String answer = alice.await("! ", "disk is full");
                    if (answer.contains("not done, nothing was stored or sent: cannot write the database")) {
                        refused = "while full " + i;
                    } else {
                        assertThat(answer).contains("stored and sent, but the database failed afterwards");
                        bob.await("<alice@localhost> while full " + i);
                    }
                }
                assertThat(refused).as("a line refused on the full disk").isNotNull();
                bob.type("hello alice");
                alice.await("! cannot write the database, incoming messages wait on the server", "disk is full");

                disk.free();
                alice.await("*** the database works again");
                alice.await("<bob@localhost> hello alice");
                alice.type("after");
                bob.await("<alice@localhost> after");
                alice.type("/quit");
                bob.type("/quit");
                assertThat(alice.exitCode()).isZero();
                assertThat(bob.exitCode()).isZero();
                String neverSent = refused;
                assertThat(bob.lines).noneMatch(l -> l.endsWith("> " + neverSent));
                assertThat(bob.lines.stream().filter(l -> l.contains("> while full")).distinct().count())
                        .isEqualTo(bob.lines.stream().filter(l -> l.contains("> while full")).count());
                assertThat(alice.lines.stream().filter(l -> l.contains("hello alice"))).hasSize(1);
            } finally {
                stop.set(true);
                botLoop.get(30, TimeUnit.SECONDS);
                bot.close();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private MlsbridgeConfig.ForClient config(ProsodyServer server, String user, RoomId room, Path data)
            throws Exception {
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
                  database: %s
                  key-encryption-key-file: %s
                """.formatted(user, ProsodyServer.DOMAIN, server.account(user).port(), password.getFileName(),
                room.value(), ProsodyServer.DOMAIN, data.resolve(user + ".db"), data.resolve(user + ".kek")));
        return ConfigLoader.load(file).config().forClient();
    }
}
