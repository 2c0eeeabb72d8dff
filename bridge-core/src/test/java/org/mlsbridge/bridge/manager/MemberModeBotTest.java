package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;

/** Member mode: the bot creates the group, commits membership itself and gateways a legacy user. */
class MemberModeBotTest {
    @TempDir
    Path dir;

    private static final RoomId ROOM = new RoomId("legacy-room@muc");
    private static final UserId BOT = Harness.user("bot");

    private final InMemoryNetwork net = new InMemoryNetwork();
    private final ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(10));

    @Test
    void botCommitsMembershipAndRelaysLegacyUsersMarkedNotEndToEndEncrypted() throws Exception {
        try (MemberModeBot bot = managingBot(); MemberClient alice = client("alice"); MemberClient bob = client("bob")) {
            UserId larry = Harness.user("larry-legacy");
            net.join(ROOM, alice.self());
            net.join(ROOM, bob.self());
            net.join(ROOM, larry);
            settle(bot, alice, bob);
            assertThat(alice.groupMembers(ROOM)).containsExactlyInAnyOrder(BOT, alice.self(), bob.self());
            assertThat(bot.legacyUsers(ROOM)).containsExactly(larry);

            Transport legacy = net.connect(larry);
            legacy.sendTextToRoom(ROOM, new ClientMessageId("l1"), "hello from an old client");
            alice.send(ROOM, Harness.text("hi bob"));
            settle(bot, alice, bob);
            List<ReceivedMessage> got = bob.received();
            assertThat(got).extracting(m -> Harness.text(m.text()))
                    .containsExactlyInAnyOrder("hello from an old client", "hi bob");
            for (ReceivedMessage m : got) {
                boolean fromLegacy = Harness.text(m.text()).startsWith("hello");
                assertThat(m.sender()).isEqualTo(fromLegacy ? larry : alice.self());
                assertThat(m.endToEndEncrypted()).isEqualTo(!fromLegacy);
            }

            net.leave(ROOM, bob.self());
            settle(bot, alice, bob);
            assertThat(alice.groupMembers(ROOM)).containsExactlyInAnyOrder(BOT, alice.self());
            assertThat(bot.client().epochAuthenticator(ROOM)).isEqualTo(alice.epochAuthenticator(ROOM));
        }
    }

    @Test
    void aLegacyUserWhoSpeaksAsTheyJoinIsGatewayedOnceClassifiedAndAnMlsUsersPlainTextIsNot() throws Exception {
        try (MemberModeBot bot = managingBot(); MemberClient alice = client("alice")) {
            net.join(ROOM, alice.self());
            settle(bot, alice);

            // both join and speak before the bot reads anything: it learns who has no MLS client
            // only after reading the joins, when it claims their KeyPackages
            UserId larry = Harness.user("larry-legacy");
            try (MemberClient carol = client("carol")) {
                net.join(ROOM, larry);
                net.join(ROOM, carol.self());
                Transport legacy = net.connect(larry);
                legacy.sendTextToRoom(ROOM, new ClientMessageId("l1"), "hi, just arrived");
                legacy.sendTextToRoom(ROOM, new ClientMessageId("l2"), "anyone here?");
                net.connect(carol.self()).sendTextToRoom(ROOM, new ClientMessageId("c1"), "carol, typed in the clear");
                settle(bot, alice, carol);
                assertThat(alice.groupMembers(ROOM)).contains(carol.self()).doesNotContain(larry);
                List<ReceivedMessage> got = alice.received();
                assertThat(got).extracting(m -> Harness.text(m.text()))
                        .containsExactly("hi, just arrived", "anyone here?");
                assertThat(got).allSatisfy(m -> {
                    assertThat(m.sender()).isEqualTo(larry);
                    assertThat(m.endToEndEncrypted()).isFalse();
                });
            }
        }
    }

    @Test
    void anUnclassifiedUserCannotMakeTheBotHoldMoreThanItsLimit() throws Exception {
        try (MemberModeBot bot = managingBot(); MemberClient alice = client("alice")) {
            net.join(ROOM, alice.self());
            settle(bot, alice);

            UserId larry = Harness.user("larry-legacy");
            net.join(ROOM, larry);
            Transport legacy = net.connect(larry);
            int sent = HeldPlainMessages.MAX_PER_GROUP + 10;
            for (int i = 0; i < sent; i++) {
                legacy.sendTextToRoom(ROOM, new ClientMessageId("l" + i), "flood " + i);
            }
            // the whole flood in one read, before the bot has classified larry
            bot.client().step(1_000, Duration.ZERO);
            assertThat(bot.counters().plainMessagesIgnored()).isEqualTo(10);
            settle(bot, alice);
            assertThat(alice.received()).hasSize(HeldPlainMessages.MAX_PER_GROUP);
        }
    }

    @Test
    void aStreamReadAgainFromTheStartKeepsGatewayingToTheLegacyUserWithoutAGap() throws Exception {
        try (MemberModeBot bot = managingBot(); MemberClient alice = client("alice")) {
            UserId larry = Harness.user("larry-legacy");
            aloneWithLegacyUser(bot, alice, larry);

            // the bot sees larry's join a second time, followed by a message it never read
            readFromTheStartAgain(bot);
            alice.send(ROOM, Harness.text("said while the bot reads from the start"));
            settle(bot, alice);

            String post = GatewayText.of(alice.self(), "said while the bot reads from the start");
            assertThat(net.plainLog(ROOM)).extracting(RoomEvent.PlainMessage::text).containsOnlyOnce(post);
            assertThat(bot.legacyUsers(ROOM)).containsExactly(larry);
        }
    }

    @Test
    void aLegacyUserSeenJoiningAgainWithAnMlsClientIsAddedAndThenServedByMlsAlone() throws Exception {
        try (MemberModeBot bot = managingBot(); MemberClient alice = client("alice")) {
            UserId larry = Harness.user("larry");
            aloneWithLegacyUser(bot, alice, larry);

            try (MemberClient larrysClient = client("larry")) { // publishes KeyPackages; no new join event
                settle(bot, alice, larrysClient);
                assertThat(alice.groupMembers(ROOM)).doesNotContain(larry);
                // his join seen again makes the bot look again
                readFromTheStartAgain(bot);
                settle(bot, alice, larrysClient);
                assertThat(alice.groupMembers(ROOM)).contains(larry);
                assertThat(bot.legacyUsers(ROOM)).isEmpty();

                int plainBefore = net.plainLog(ROOM).size();
                alice.send(ROOM, Harness.text("for larry's MLS client"));
                settle(bot, alice, larrysClient);
                assertThat(larrysClient.received()).extracting(m -> Harness.text(m.text()))
                        .containsExactly("for larry's MLS client");
                assertThat(net.plainLog(ROOM)).hasSize(plainBefore);
            }
        }
    }

    /** Alice in the bot's group, {@code legacy} in the room without an MLS client. */
    private void aloneWithLegacyUser(MemberModeBot bot, MemberClient alice, UserId legacy) throws Exception {
        net.join(ROOM, alice.self());
        net.join(ROOM, legacy);
        settle(bot, alice);
        assertThat(bot.legacyUsers(ROOM)).containsExactly(legacy);
    }

    /**
     * The transport forgot the bot's cursor, as after a restart whose position the server's history
     * no longer holds: the bot reads the room from its start again, every join included.
     */
    private static void readFromTheStartAgain(MemberModeBot bot) {
        bot.client().store().transaction(tx -> {
            tx.resetCursor();
            return null;
        });
    }

    /** The bot, in the room, managing its group (which it creates). */
    private MemberModeBot managingBot() throws Exception {
        net.join(ROOM, BOT);
        MemberModeBot bot = new MemberModeBot(net.connect(BOT), store(BOT), options);
        bot.manage(ROOM);
        return bot;
    }

    /** An MLS client of the account {@code name}, not yet in the room. */
    private MemberClient client(String name) throws Exception {
        UserId u = Harness.user(name);
        return new MemberClient(net.connect(u), store(u), options);
    }

    private ClientStore store(UserId u) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(Harness.fileName(u) + ".db"), Harness.kek()));
    }

    private static void settle(MemberModeBot bot, MemberClient... members) throws Exception {
        int quiet = 0;
        for (int round = 0; round < 5_000 && quiet < 3; round++) {
            int n = bot.step(200, Duration.ZERO);
            boolean due = bot.client().hasDueWork();
            for (MemberClient c : members) {
                n += c.step(200, Duration.ZERO);
                due |= c.hasDueWork();
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
            if (n == 0) {
                Thread.sleep(2);
            }
        }
    }
}
