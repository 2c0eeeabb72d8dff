package org.mlsbridge.xmpp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * MLS member clients and the external-sender bot of bridge-core, each on its own XMPP connection
 * and SQLite file, in one members-only room owned by the bot's account.
 */
final class XmppGroupWorld implements AutoCloseable {
    final XmppFixture fx;
    final Path dir;
    final ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
    final Map<String, MemberClient> members = new LinkedHashMap<>();
    final Map<String, String> accounts = new LinkedHashMap<>();
    final Map<String, XmppTransport> transports = new LinkedHashMap<>();
    final String botAccount;
    XmppTransport botTransport;
    ExternalSenderBot bot;
    RoomId room;

    XmppGroupWorld(XmppFixture fx, Path dir) throws Exception {
        this.fx = fx;
        this.dir = dir;
        botAccount = fx.newUser("bot");
        botTransport = fx.connect(botAccount);
        room = fx.newRoom(botTransport);
        bot = new ExternalSenderBot(botTransport, store(botAccount), options);
    }

    static KeyEncryptionKey kek() {
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        k[0] = 9;
        return KeyEncryptionKey.of(k);
    }

    ClientStore store(String account) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(account + ".db"), kek()));
    }

    /** A new account with an MLS client that is a member of the room and follows it. */
    MemberClient member(String name) throws Exception {
        String account = fx.newUser(name);
        accounts.put(name, account);
        botTransport.admin().grantMembership(room, XmppFixture.userId(account));
        return open(name);
    }

    /** (Re)opens the client of {@code name} on a new connection, from its stored state. */
    MemberClient open(String name) throws Exception {
        XmppTransport t = fx.connect(accounts.get(name));
        t.join(room);
        transports.put(name, t);
        MemberClient c = new MemberClient(t, store(accounts.get(name)), options);
        members.put(name, c);
        return c;
    }

    /** The first member creates the room's group with the bot as external sender. */
    MemberClient creator(String name) throws Exception {
        MemberClient c = member(name);
        c.createGroup(room, List.of(c.externalSenderOf(bot.self())));
        return c;
    }

    /** Closes the client of {@code name} (its state stays in its database). */
    void takeOffline(String name) {
        members.remove(name).close();
        transports.remove(name);
    }

    /** Steps everyone until nothing happened for a while, or fails after {@code timeout}. */
    void settle(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        while (quiet < 4) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not settle within " + timeout);
            }
            int n = round();
            boolean due = false;
            for (MemberClient c : List.copyOf(members.values())) {
                due |= c.hasDueWork();
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
        }
    }

    /** One step of the bot and every member; retryable transport failures (server away) wait a little. */
    private int round() throws Exception {
        int n = 0;
        try {
            if (bot != null) {
                n += bot.step(200, Duration.ofMillis(30));
            }
            for (MemberClient c : List.copyOf(members.values())) {
                n += c.step(200, Duration.ofMillis(30));
            }
        } catch (org.mlsbridge.bridge.transport.TransportException e) {
            if (!e.retryable()) {
                throw e;
            }
            Thread.sleep(100);
            return 1;
        }
        return n;
    }

    /** Steps until {@code done} or fails after {@code timeout}. */
    void until(java.util.function.BooleanSupplier done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + timeout);
            }
            round();
        }
    }

    static Bytes text(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Texts a member has received, acknowledged. */
    static List<String> drain(MemberClient c) {
        List<String> got = new ArrayList<>();
        for (ReceivedMessage m : c.received()) {
            got.add(new String(m.text().toByteArray(), StandardCharsets.UTF_8));
            c.acknowledge(m);
        }
        return got;
    }

    UserId user(String name) {
        return XmppFixture.userId(accounts.get(name));
    }

    @Override
    public void close() {
        if (bot != null) {
            bot.close();
        }
        for (MemberClient c : members.values()) {
            c.close();
        }
    }
}
