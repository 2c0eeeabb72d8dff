package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/** A network, a bot and members, each with its own SQLite file, stepped deterministically. */
final class Harness implements AutoCloseable {
    static final RoomId ROOM = new RoomId("room@muc.example");
    final InMemoryNetwork net = new InMemoryNetwork();
    final Path dir;
    final ClientOptions options;
    final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    final UserId botUser = user("bot");
    ExternalSenderBot bot;

    Harness(Path dir) throws Exception {
        this(dir, ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(20)));
    }

    Harness(Path dir, ClientOptions options) throws Exception {
        this.dir = dir;
        this.options = options;
        net.createRoom(ROOM);
        net.join(ROOM, botUser);
        bot = new ExternalSenderBot(net.connect(botUser), store(botUser), options);
    }

    static KeyEncryptionKey kek() {
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        k[0] = 7;
        return KeyEncryptionKey.of(k);
    }

    /** The account of a short test name: {@code xmpp:<name>@example.org}. */
    static UserId user(String name) {
        return UserId.xmpp(name + "@example.org");
    }

    /** A file name for a user's database (account URIs hold ':' and, for Matrix, '/'). */
    static String fileName(UserId user) {
        return user.value().replaceAll("[^A-Za-z0-9@._-]", "_");
    }

    ClientStore store(UserId user) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(fileName(user) + ".db"), kek()));
    }

    MemberClient member(String name) throws Exception {
        UserId u = user(name);
        return member(u, net.connect(u), store(u));
    }

    /** A member on a transport and store of the test's own making (wrapped to watch or fail them). */
    MemberClient member(UserId u, Transport transport, ClientStore store) throws Exception {
        MemberClient c = new MemberClient(transport, store, options);
        members.put(u, c);
        return c;
    }

    /** Alice creates the group with the bot as external sender. */
    MemberClient creator(String name) throws Exception {
        MemberClient c = member(name);
        net.join(ROOM, c.self());
        c.createGroup(ROOM, List.of(c.externalSenderOf(botUser)));
        return c;
    }

    void restartBot() throws Exception {
        bot.close();
        bot = new ExternalSenderBot(net.connect(botUser), store(botUser), options);
    }

    /** Closes the member (as a crash would leave it: whatever is committed stays) and opens it again. */
    MemberClient restart(MemberClient c) throws Exception {
        c.close();
        MemberClient again = new MemberClient(net.connect(c.self()), store(c.self()), options);
        members.put(c.self(), again);
        return again;
    }

    /** The member's database is gone: a fresh client with a new identity under the same user id. */
    MemberClient loseState(MemberClient c) throws Exception {
        c.close();
        for (String suffix : List.of(".db", ".db-wal", ".db-shm", ".db.lock")) {
            java.nio.file.Files.deleteIfExists(dir.resolve(fileName(c.self()) + suffix));
        }
        MemberClient fresh = new MemberClient(net.connect(c.self()), store(c.self()), options);
        members.put(c.self(), fresh);
        return fresh;
    }

    /** Steps everyone until a full quiet round with nothing due. */
    void settle() throws Exception {
        int quiet = 0;
        for (int round = 0; round < 10_000 && quiet < 3; round++) {
            int n = bot.step(500, Duration.ZERO);
            boolean due = false;
            for (MemberClient c : List.copyOf(members.values())) {
                n += c.step(500, Duration.ZERO);
                due |= c.hasDueWork();
            }
            if (n == 0 && !due) {
                quiet++;
            } else {
                quiet = 0;
            }
            if (n == 0) {
                Thread.sleep(due ? 5 : 1);
            }
        }
    }

    static Bytes text(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Bytes b) {
        return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Texts each member has received, acknowledging them. */
    Map<UserId, List<String>> drainReceived() {
        Map<UserId, List<String>> out = new LinkedHashMap<>();
        for (MemberClient c : members.values()) {
            List<String> got = new ArrayList<>();
            for (ReceivedMessage m : c.received()) {
                got.add(text(m.text()));
                c.acknowledge(m);
            }
            out.put(c.self(), got);
        }
        return out;
    }

    @Override
    public void close() {
        bot.close();
        for (MemberClient c : members.values()) {
            c.close();
        }
    }
}
