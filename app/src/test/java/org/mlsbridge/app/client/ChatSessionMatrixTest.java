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
import org.mlsbridge.matrix.MatrixAccount;
import org.mlsbridge.matrix.MatrixConnector;
import org.mlsbridge.matrix.MatrixTransport;
import org.mlsbridge.matrix.SynapseServer;

/** The chat client on a real Synapse: one member creates the room's group, the bot adds the other, both read. */
class ChatSessionMatrixTest {
    private static SynapseServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = SynapseServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void twoClientsTalkThroughTheRoomsGroup() throws Exception {
        UserId botUser = server.register("bot", "pw-bot");
        UserId alice = server.register("alice", "pw-alice");
        UserId bob = server.register("bob", "pw-bob");
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicBoolean stop = new AtomicBoolean();
        try (MatrixConnector connector = new MatrixConnector()) {
            MatrixTransport botTransport = connector.connect(new MatrixAccount(server.url(), botUser, "pw-bot"));
            botTransport.login();
            RoomId room = botTransport.createRoom("lounge", List.of(alice, bob));
            ExternalSenderBot bot = new ExternalSenderBot(botTransport, Connections.store(dir.resolve("bot.db"),
                    dir.resolve("bot.kek")), options);
            Future<?> botLoop = threads.submit(() -> {
                while (!stop.get()) {
                    bot.step(200, Duration.ofMillis(100));
                }
                return null;
            });
            try {
                ChatDriver a = new ChatDriver(config("alice", room), options, threads);
                a.await("*** signed in as matrix:u/alice:");
                a.type("/create");
                a.await("group created with @bot:" + SynapseServer.SERVER_NAME + " as external sender");
                ChatDriver b = new ChatDriver(config("bob", room), options, threads);
                b.await("*** in the group");
                a.await("*** @bob:" + SynapseServer.SERVER_NAME + " is now in the group");

                a.type("hello bob");
                b.await("<@alice:" + SynapseServer.SERVER_NAME + "> hello bob");
                b.type("hi alice");
                a.await("<@bob:" + SynapseServer.SERVER_NAME + "> hi alice");

                // bob leaves the room: the bot proposes his removal, alice commits it
                b.type("/leave");
                b.await("*** left " + room.value());
                assertThat(b.exitCode()).isZero();
                a.await("*** @bob:" + SynapseServer.SERVER_NAME + " is no longer in the group");
                a.type("/members");
                a.await("*** 1 member:");
                a.type("/quit");
                assertThat(a.exitCode()).isZero();
            } finally {
                stop.set(true);
                botLoop.get(60, TimeUnit.SECONDS);
                bot.close();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private MlsbridgeConfig.ForClient config(String user, RoomId room) throws Exception {
        Path password = dir.resolve(user + "-password");
        Files.writeString(password, "pw-" + user + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve(user + ".yaml");
        Files.writeString(file, """
                matrix:
                  homeserver: %s
                  user-id: "@%s:%s"
                  password-file: %s
                client:
                  network: matrix
                  room: "%s"
                  bot: "@bot:%s"
                  database: %s.db
                  key-encryption-key-file: %s.kek
                """.formatted(server.url(), user, SynapseServer.SERVER_NAME, password.getFileName(), room.value(),
                SynapseServer.SERVER_NAME, user, user));
        return ConfigLoader.load(file).config().forClient();
    }
}
