package org.mlsbridge.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.relay.BridgeRelay;
import org.mlsbridge.bridge.relay.PairedTransport;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.KeyEncryptionKeys;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;

/**
 * The scripted conversation behind {@code mlsbridge demo}: one MLS group across an XMPP room and
 * a Matrix room, bridged by a relay and an external-sender bot that hold no group secret. alice
 * (XMPP) creates the group; bob (XMPP), carol and dave (Matrix) join their rooms and the bot brings
 * them in; everyone talks across the networks; dave is banned on Matrix and removed; a last message
 * is read by all but dave; erin (Matrix) joins late and reads from then on.
 */
final class Demo {
    static final RoomId XMPP_ROOM = new RoomId("lounge@muc.example.org");
    static final RoomId MATRIX_ROOM = new RoomId("!lounge:example.org");
    private static final UserId BRIDGE_XMPP = UserId.xmpp("bridge@example.org");
    private static final UserId BRIDGE_MATRIX = UserId.matrix("@bridge:example.org");
    private static final UserId BOT = UserId.xmpp("bridge-bot@example.org");

    record Result(int sent, int delivered, int lost, long undecryptable) {
    }

    private record Sent(UserId from, String text, Set<UserId> audience) {
    }

    private final Path dir;
    private final PrintStream out;
    private final InMemoryNetwork xmpp = new InMemoryNetwork();
    private final InMemoryNetwork matrix = new InMemoryNetwork();
    private final ClientOptions options;
    private final KeyEncryptionKey kek;
    private final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    private final Map<UserId, Long> shownEpoch = new HashMap<>();
    private final Map<UserId, List<String>> read = new LinkedHashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private BridgeRelay relay;
    private ExternalSenderBot bot;
    private int xmppShown;
    private int matrixShown;

    /** The key-encryption key is kept as {@code demo.key} in {@code dir}, so kept files can be opened again. */
    Demo(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
        this.kek = KeyEncryptionKeys.loadOrCreate(dir.resolve("demo.key"));
        RoomPolicy xmppSide = RoomPolicy.DEFAULT.withSequencer(BRIDGE_XMPP);
        RoomPolicy matrixSide = RoomPolicy.DEFAULT.withSequencer(BRIDGE_MATRIX);
        this.options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(30))
                .withPolicies(room -> room.equals(XMPP_ROOM) ? xmppSide : matrixSide);
    }

    Result run() throws Exception {
        out.println("mlsbridge demo: two in-process networks (XMPP and Matrix), real SQLite files in " + dir);
        out.println("XMPP room " + XMPP_ROOM + " <-> Matrix room " + MATRIX_ROOM + ": one MLS group");
        out.println("bridge: relay " + BRIDGE_XMPP + " / " + BRIDGE_MATRIX + ", bot " + BOT
                + " (external-sender mode: the bridge never holds group secrets)");
        out.println("wire lines: what each server carried, by whom; a member's own post of a handshake message is a"
                + " submission, the bridge's copy of it is the one members act on, in the same order on both sides");
        xmpp.join(XMPP_ROOM, BRIDGE_XMPP);
        xmpp.join(XMPP_ROOM, BOT);
        matrix.join(MATRIX_ROOM, BRIDGE_MATRIX);
        relay = new BridgeRelay(new RoomSide(XMPP_ROOM, xmpp.connect(BRIDGE_XMPP)),
                new RoomSide(MATRIX_ROOM, matrix.connect(BRIDGE_MATRIX)), store("bridge-relay"), options);
        bot = new ExternalSenderBot(new PairedTransport(xmpp.connect(BOT), XMPP_ROOM, matrix.connect(BRIDGE_MATRIX),
                MATRIX_ROOM, Set.of(BRIDGE_XMPP, BRIDGE_MATRIX)), store(BOT.value()), options);
        try {
            section("alice (XMPP) creates the MLS group, listing the bridge's bot as external sender");
            MemberClient alice = join(UserId.xmpp("alice@example.org"));
            alice.createGroup(XMPP_ROOM, List.of(alice.externalSenderOf(BOT)));
            settle();

            section("bob joins on XMPP, carol and dave on Matrix; the bot proposes Adds, a member commits them,"
                    + " the bridge orders it for both rooms and carries the Welcome to Matrix");
            MemberClient bob = join(UserId.xmpp("bob@example.org"));
            MemberClient carol = join(UserId.matrix("@carol:example.org"));
            MemberClient dave = join(UserId.matrix("@dave:example.org"));
            settle();

            section("everyone talks, across the networks");
            say(alice, "Hello everyone, this group spans XMPP and Matrix, end to end encrypted.");
            say(carol, "Hi from Matrix! The bridge only relays ciphertext.");
            say(bob, "And the servers see ciphertext only.");
            say(dave, "Good to be here.");
            settle();

            section("dave is banned from the Matrix room; the bot proposes his removal, a member commits it");
            matrix.ban(MATRIX_ROOM, dave.self());
            settle();

            section("a message dave cannot read");
            say(alice, "Now that dave is gone: the plan is on.");
            say(carol, "Agreed.");
            settle();
            out.println("  dave: holds no key of epoch " + alice.epoch(XMPP_ROOM).orElseThrow()
                    + " (his client deleted the group when the removal was merged)");

            section("erin joins on Matrix later and reads from then on");
            MemberClient erin = join(UserId.matrix("@erin:example.org"));
            settle();
            say(bob, "Welcome erin.");
            say(erin, "Thanks, glad to be in.");
            settle();
            out.println("  bridge: decrypted nothing (no group secret); " + relay.counters());
            return summary();
        } finally {
            relay.close();
            bot.close();
            for (MemberClient c : members.values()) {
                c.close();
            }
        }
    }

    private static RoomId roomOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? XMPP_ROOM : MATRIX_ROOM;
    }

    private InMemoryNetwork networkOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? xmpp : matrix;
    }

    /** The account enters its own network's room. */
    private MemberClient join(UserId u) throws Exception {
        MemberClient c = new MemberClient(networkOf(u).connect(u), store(u.value()), options);
        members.put(u, c);
        read.put(u, new ArrayList<>());
        networkOf(u).join(roomOf(u), u);
        return c;
    }

    private SqliteClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name.replaceAll("[^A-Za-z0-9@._-]", "_") + ".db"),
                kek));
    }

    private void say(MemberClient c, String text) throws Exception {
        var receipt = c.send(roomOf(c.self()), Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
        Set<UserId> audience = receipt.map(r -> r.members().stream().filter(u -> !u.equals(c.self()))
                .collect(Collectors.toSet())).orElse(Set.of());
        sent.add(new Sent(c.self(), text, audience));
        out.println("  " + name(c.self()) + " sends: \"" + text + "\"");
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    /** Runs everyone until nothing moves, then prints both wires, what was read and epoch changes. */
    private void settle() throws Exception {
        int quiet = 0;
        for (int round = 0; round < 20_000 && quiet < 3; round++) {
            int n = relay.step(500, Duration.ZERO);
            n += bot.step(500, Duration.ZERO);
            boolean due = false;
            for (MemberClient c : members.values()) {
                n += c.step(500, Duration.ZERO);
                due |= c.hasDueWork();
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
            if (n == 0) {
                Thread.sleep(due ? 5 : 1);
            }
        }
        xmppShown = showWire("xmpp  ", xmpp.roomLog(XMPP_ROOM), xmppShown, BRIDGE_XMPP);
        matrixShown = showWire("matrix", matrix.roomLog(MATRIX_ROOM), matrixShown, BRIDGE_MATRIX);
        for (MemberClient c : members.values()) {
            for (ReceivedMessage m : c.received()) {
                String text = new String(m.text().toByteArray(), StandardCharsets.UTF_8);
                read.get(c.self()).add(m.sender().value() + "\0" + text);
                out.println("  read  " + name(c.self()) + " <- " + name(m.sender()) + ": \"" + text + "\""
                        + (m.endToEndEncrypted() ? "" : " [NOT end-to-end encrypted]"));
                c.acknowledge(m);
            }
        }
        for (MemberClient c : members.values()) {
            Optional<Long> e = c.epoch(roomOf(c.self()));
            Long before = shownEpoch.get(c.self());
            if (e.isPresent() && !e.get().equals(before)) {
                out.println("  epoch " + name(c.self()) + ": " + (before == null ? "joined at " : before + " -> ")
                        + e.get() + ", members " + c.groupMembers(roomOf(c.self())).stream().map(Demo::name).sorted()
                        .collect(Collectors.joining(", ")));
                shownEpoch.put(c.self(), e.get());
            } else if (e.isEmpty() && before != null) {
                out.println("  epoch " + name(c.self()) + ": removed from the group after epoch " + before);
                shownEpoch.remove(c.self());
            }
        }
    }

    /** What crossed one network since last shown: who posted it, and what an observer of the server sees. */
    private int showWire(String network, List<RoomEvent.RoomMessage> log, int shown, UserId bridge) {
        for (RoomEvent.RoomMessage m : log.subList(shown, log.size())) {
            String role = m.sender().equals(bridge) ? "bridge" : name(m.sender());
            out.printf("  wire  %s %-10s %-44s %s%n", network, role, describe(m.payload()), abbreviate(m.payload()));
        }
        return log.size();
    }

    private Result summary() {
        int delivered = 0;
        for (Sent s : sent) {
            String key = s.from().value() + "\0" + s.text();
            boolean ok = true;
            for (Map.Entry<UserId, List<String>> e : read.entrySet()) {
                long n = e.getValue().stream().filter(key::equals).count();
                long want = s.audience().contains(e.getKey()) ? 1 : 0;
                if (n != want) {
                    ok = false;
                    out.println("  MISMATCH: " + name(e.getKey()) + " read \"" + s.text() + "\" " + n + " times, expected "
                            + want);
                }
            }
            if (ok) {
                delivered++;
            }
        }
        long undecryptable = members.values().stream().mapToLong(c -> c.counters().decryptionFailures()).sum();
        out.println();
        out.println("bot counters: " + bot.counters());
        out.println("relay counters: " + relay.counters());
        Result r = new Result(sent.size(), delivered, sent.size() - delivered, undecryptable);
        out.println("demo: " + r.sent() + " sent, " + r.delivered() + " delivered, " + r.lost() + " lost, "
                + r.undecryptable() + " undecryptable");
        return r;
    }

    /** The short name shown in the transcript: the account's local part. */
    private static String name(UserId u) {
        String v = u.address();
        if (u.network() == UserId.Network.MATRIX) {
            return v.substring(1, v.indexOf(':'));
        }
        int at = v.indexOf('@');
        return at > 0 ? v.substring(0, at) : v;
    }

    static String describe(Bytes payload) {
        try {
            MlsMessage m = MlsMessage.decode(payload);
            return switch (m.body()) {
                case GroupInfo gi -> "GroupInfo epoch " + gi.groupContext().epoch();
                case PublicMessage p -> {
                    String what = switch (p.content().content()) {
                        case Content.ProposalContent pc -> "proposal " + pc.proposal().getClass().getSimpleName();
                        case Content.CommitContent cc -> "commit (" + cc.commit().proposals().size() + " proposals)";
                        case Content.Application a -> "application";
                    };
                    String from = p.content().sender() instanceof Sender.External ? " [external sender]" : "";
                    yield what + " epoch " + p.content().epoch() + from;
                }
                case PrivateMessage p -> "encrypted " + p.contentType().name().toLowerCase() + " epoch " + p.epoch();
                default -> m.body().getClass().getSimpleName();
            };
        } catch (DecodeException e) {
            return "not MLS";
        }
    }

    private static String abbreviate(Bytes b) {
        String hex = b.hex();
        return (hex.length() <= 24 ? hex : "…" + hex.substring(hex.length() - 24)) + " (" + b.length() + " bytes)";
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
