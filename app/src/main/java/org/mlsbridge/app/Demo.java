package org.mlsbridge.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;

/**
 * The scripted conversation behind {@code mlsbridge demo}: alice creates the room's group with the
 * bot as external sender; bob, carol and dave join the room and the bot brings them in; everyone
 * talks; dave is banned and removed; a last message is read by all but dave.
 */
final class Demo {
    static final RoomId ROOM = new RoomId("lounge@muc.example.org");

    record Result(int sent, int delivered, int lost, long undecryptable) {
    }

    private record Sent(UserId from, String text, Set<UserId> audience) {
    }

    private final Path dir;
    private final PrintStream out;
    private final InMemoryNetwork net = new InMemoryNetwork();
    private final ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(30));
    private final KeyEncryptionKey kek;
    private final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    private final Map<UserId, Long> shownEpoch = new HashMap<>();
    private final Map<UserId, List<String>> read = new LinkedHashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final UserId botUser = UserId.xmpp("bridge-bot@example.org");
    private ExternalSenderBot bot;
    private int wireShown;

    Demo(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        new SecureRandom().nextBytes(k);
        this.kek = KeyEncryptionKey.of(k);
    }

    Result run() throws Exception {
        out.println("mlsbridge demo: in-memory transport, real SQLite files in " + dir);
        out.println("room " + ROOM + ", managed by " + botUser
                + " in external-sender mode (the bot never holds group secrets)");
        net.createRoom(ROOM);
        net.join(ROOM, botUser);
        bot = new ExternalSenderBot(net.connect(botUser), store(botUser), options);
        try {
            section("alice creates the MLS group, listing the bot as external sender");
            MemberClient alice = member(UserId.xmpp("alice@example.org"));
            net.join(ROOM, alice.self());
            alice.createGroup(ROOM, List.of(alice.externalSenderOf(botUser)));
            settle();

            section("bob, carol and dave join the room; the bot proposes Adds, a member commits them");
            MemberClient bob = member(UserId.xmpp("bob@example.org"));
            MemberClient carol = member(UserId.matrix("@carol:example.org"));
            MemberClient dave = member(UserId.xmpp("dave@example.org"));
            for (MemberClient c : List.of(bob, carol, dave)) {
                net.join(ROOM, c.self());
            }
            settle();

            section("everyone talks");
            say(alice, "Hello everyone, this room is end-to-end encrypted now.");
            say(bob, "Hi alice! Only the four of us can read this.");
            say(carol, "The server and the bot see ciphertext only.");
            say(dave, "Good to be here.");
            settle();

            section("dave is banned from the room; the bot proposes his removal, a member commits it");
            net.ban(ROOM, dave.self());
            settle();

            section("a message dave cannot read");
            say(alice, "Now that dave is gone: the plan is on.");
            say(carol, "Agreed.");
            settle();
            out.println("  dave: holds no key of epoch " + alice.epoch(ROOM).orElseThrow()
                    + " (his client deleted the group when the removal was merged)");
            out.println("  bot:  decrypted " + bot.counters().messagesIn()
                    + " messages (it has no group secrets, only a public view of the tree)");
            return summary();
        } finally {
            bot.close();
            for (MemberClient c : members.values()) {
                c.close();
            }
        }
    }

    private MemberClient member(UserId u) throws Exception {
        MemberClient c = new MemberClient(net.connect(u), store(u), options);
        members.put(u, c);
        read.put(u, new ArrayList<>());
        return c;
    }

    private SqliteClientStore store(UserId u) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(u.value().replaceAll("[^A-Za-z0-9@._-]", "_") + ".db"), kek));
    }

    private void say(MemberClient c, String text) throws Exception {
        var receipt = c.send(ROOM, Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
        Set<UserId> audience = receipt.map(r -> r.members().stream().filter(u -> !u.equals(c.self()))
                .collect(Collectors.toSet())).orElse(Set.of());
        sent.add(new Sent(c.self(), text, audience));
        out.println("  " + name(c.self()) + " sends: \"" + text + "\"");
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    /** Runs everyone until nothing moves, then prints the wire, what was read and epoch changes. */
    private void settle() throws Exception {
        int quiet = 0;
        for (int round = 0; round < 20_000 && quiet < 3; round++) {
            int n = bot.step(500, Duration.ZERO);
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
        List<RoomEvent.RoomMessage> log = net.roomLog(ROOM);
        for (RoomEvent.RoomMessage m : log.subList(wireShown, log.size())) {
            out.printf("  wire  %-6s %-40s %s%n", name(m.sender()), describe(m.payload()), abbreviate(m.payload()));
        }
        wireShown = log.size();
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
            Optional<Long> e = c.epoch(ROOM);
            Long before = shownEpoch.get(c.self());
            if (e.isPresent() && !e.get().equals(before)) {
                out.println("  epoch " + name(c.self()) + ": " + (before == null ? "joined at " : before + " -> ")
                        + e.get() + ", members " + c.groupMembers(ROOM).stream().map(Demo::name).sorted()
                        .collect(Collectors.joining(", ")));
                shownEpoch.put(c.self(), e.get());
            } else if (e.isEmpty() && before != null) {
                out.println("  epoch " + name(c.self()) + ": removed from the group after epoch " + before);
                shownEpoch.remove(c.self());
            }
        }
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
