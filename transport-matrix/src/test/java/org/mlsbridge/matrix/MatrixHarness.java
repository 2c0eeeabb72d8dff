package org.mlsbridge.matrix;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bridge-core's group manager on Matrix: the bot (external-sender mode) owns a Synapse room and
 * invites members; each member is a {@link MemberClient} with its own SQLite file and its own
 * {@link MatrixTransport}. Everyone is stepped in turn from the test thread until a quiet round.
 */
final class MatrixHarness implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixHarness.class);
    final MatrixWorld world;
    final Path dir;
    final ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
    final Map<String, MemberClient> members = new LinkedHashMap<>();
    private final Map<String, MatrixTransport> transports = new LinkedHashMap<>();
    private final Map<String, String> devices = new LinkedHashMap<>();
    final UserId botUser;
    MatrixTransport botTransport;
    ExternalSenderBot bot;
    final RoomId room;
    /** Wraps each new member transport (e.g. to lose an acknowledgement); identity by default. */
    Function<MatrixTransport, Transport> wrap = t -> t;
    long retryableFailures;

    MatrixHarness(SynapseServer synapse, Path dir) throws Exception {
        this(synapse, dir, MatrixAccount.DEFAULT_DEVICE_ID);
    }

    /** The bot signs in as {@code botDevice}. */
    MatrixHarness(SynapseServer synapse, Path dir, String botDevice) throws Exception {
        this.world = new MatrixWorld(synapse);
        this.dir = dir;
        this.botTransport = world.connect("bot", botDevice);
        this.botUser = botTransport.self();
        this.room = botTransport.createRoom("mls room", List.of());
        this.bot = new ExternalSenderBot(botTransport, store("bot"), options);
    }

    static KeyEncryptionKey kek() {
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        k[0] = 7;
        return KeyEncryptionKey.of(k);
    }

    ClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name + ".db"), kek()));
    }

    /** A member client for {@code name} (not yet in the room). */
    MemberClient member(String name) throws Exception {
        return member(name, MatrixAccount.DEFAULT_DEVICE_ID);
    }

    /** A member client for {@code name} on {@code device} of the account (not yet in the room). */
    MemberClient member(String name, String device) throws Exception {
        MatrixTransport t = world.connect(name, device);
        devices.put(name, device);
        transports.put(name, t);
        MemberClient c = new MemberClient(wrap.apply(t), store(name), options);
        members.put(name, c);
        return c;
    }

    /**
     * Another MLS client of {@code name}'s account, on {@code device}, known as
     * {@code name/device} here (the account joins rooms once, through its first client).
     */
    MemberClient otherDevice(String name, String device) throws Exception {
        String key = name + "/" + device;
        MatrixTransport t = world.connect(name, device);
        devices.put(key, device);
        transports.put(key, t);
        MemberClient c = new MemberClient(wrap.apply(t), store(key.replace('/', '-')), options);
        members.put(key, c);
        return c;
    }

    MatrixTransport transport(String name) {
        return transports.get(name);
    }

    /** The room owner (the bot) invites {@code name}, who joins. */
    void join(String name) throws Exception {
        botTransport.invite(room, world.user(name));
        transports.get(name).join(room);
    }

    void leave(String name) throws Exception {
        transports.get(name).leave(room);
    }

    /** Alice joins and creates the group with the bot as external sender. */
    MemberClient creator(String name) throws Exception {
        return creator(name, MatrixAccount.DEFAULT_DEVICE_ID);
    }

    /** {@link #creator(String)} on {@code device} of the account. */
    MemberClient creator(String name, String device) throws Exception {
        MemberClient c = member(name, device);
        join(name);
        settle();
        c.createGroup(room, List.of(c.externalSenderOf(botUser)));
        return c;
    }

    /** Closes the member (what is committed stays) and opens it again on a new connection. */
    MemberClient restart(String name) throws Exception {
        members.remove(name).close();
        return reopen(name);
    }

    /** Takes a member offline (its connection and store closed). */
    void goOffline(String name) {
        members.remove(name).close();
    }

    MemberClient reopen(String name) throws Exception {
        String account = name.contains("/") ? name.substring(0, name.indexOf('/')) : name; // see otherDevice
        MatrixTransport t = world.connect(account, devices.getOrDefault(name, MatrixAccount.DEFAULT_DEVICE_ID));
        transports.put(name, t);
        MemberClient c = new MemberClient(wrap.apply(t), store(name.replace('/', '-')), options);
        members.put(name, c);
        return c;
    }

    /** Steps everyone until three quiet rounds with nothing due; retryable failures are retried. */
    void settle() throws Exception {
        int quiet = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (quiet < 3) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no quiet round within 120 s");
            }
            int n = 0;
            boolean due = false;
            try {
                n += bot.step(500, Duration.ofMillis(20));
                for (MemberClient c : List.copyOf(members.values())) {
                    n += c.step(500, Duration.ofMillis(20));
                    due |= c.hasDueWork();
                }
            } catch (TransportException e) {
                if (!e.retryable()) {
                    throw e;
                }
                retryableFailures++;
                LOG.info("retryable failure while settling: {}", e.getMessage());
                Thread.sleep(200);
                quiet = 0;
                continue;
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
            if (due) {
                Thread.sleep(20);
            }
        }
    }

    static Bytes text(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Bytes b) {
        return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Texts each member has received since the last call, acknowledging them. */
    Map<String, List<String>> drainReceived() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, MemberClient> e : members.entrySet()) {
            List<String> got = new ArrayList<>();
            for (ReceivedMessage m : e.getValue().received()) {
                got.add(text(m.text()));
                e.getValue().acknowledge(m);
            }
            out.put(e.getKey(), got);
        }
        return out;
    }

    @Override
    public void close() {
        bot.close();
        for (MemberClient c : members.values()) {
            c.close();
        }
        world.close();
    }
}
