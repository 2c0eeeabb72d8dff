package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.MemberModeBot;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;

/**
 * The chat client tells its user, once, that a member-mode bridge reads the group: when the room's
 * bot is a group member, and when a gatewayed (not end-to-end encrypted) message arrives.
 */
class ChatLoopMemberModeTest {
    private static final RoomId ROOM = new RoomId("room@muc.example.org");
    private static final UserId BOT = UserId.xmpp("bridge@example.org");
    private static final UserId ALICE = UserId.xmpp("alice@example.org");
    private static final UserId LEE = UserId.xmpp("lee@example.org");
    private static final String WARNING = "! NOT end-to-end encrypted from the bridge";

    @TempDir
    Path dir;

    @Test
    void theUserIsToldOnceThatTheBridgeReadsTheGroup() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork();
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(10));
        net.join(ROOM, BOT);
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (MemberModeBot bot = new MemberModeBot(net.connect(BOT), store("bot"), options);
                MemberClient alice = new MemberClient(net.connect(ALICE), store("alice"), options)) {
            bot.manage(ROOM);
            Future<?> botLoop = threads.submit(() -> {
                while (!stop.get()) {
                    bot.step(200, Duration.ofMillis(20));
                }
                return null;
            });
            ChatLoop loop = new ChatLoop(alice, ROOM, Optional.of(BOT), r -> { }, new ChatRenderer(lines::add));
            Future<Boolean> chat = threads.submit(loop::run);
            net.join(ROOM, ALICE);
            awaitLine(lines, "*** in the group");
            awaitLine(lines, WARNING);
            assertThat(lines).filteredOn(l -> l.startsWith(WARNING)).hasSize(1);

            net.join(ROOM, LEE);
            // the bot gateways Lee once it has found that Lee publishes no KeyPackage
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!bot.legacyUsers(ROOM).contains(LEE)) {
                assertThat(System.nanoTime()).as("the bot takes Lee for a legacy user").isLessThan(deadline);
                Thread.sleep(20);
            }
            net.connect(LEE).sendTextToRoom(ROOM, new ClientMessageId("lee-1"), "hello from an old client");
            awaitLine(lines, "<lee@example.org> hello from an old client");
            loop.submit(new ChatInput.Quit());
            assertThat(chat.get()).isTrue();
            stop.set(true);
            botLoop.get();

            assertThat(lines).filteredOn(l -> l.startsWith(WARNING)).hasSize(1);
            assertThat(String.join("\n", lines)).contains("[NOT end-to-end encrypted: relayed by the bridge]");
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
    }

    private ClientStore store(String name) {
        byte[] kek = new byte[KeyEncryptionKey.LENGTH];
        kek[0] = 3;
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name + ".db"), KeyEncryptionKey.of(kek)));
    }

    private static void awaitLine(List<String> lines, String start) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lines.stream().noneMatch(l -> l.startsWith(start))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line starting with \"" + start + "\" in 30 s; lines: " + lines);
            }
            Thread.sleep(20);
        }
    }
}
