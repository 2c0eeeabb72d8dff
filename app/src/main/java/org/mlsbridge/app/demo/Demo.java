package org.mlsbridge.app.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
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
 * is read by all but dave; erin (Matrix) joins late and reads from then on. The same script runs
 * on in-process networks and on local servers ({@link DemoNetworks}).
 */
final class Demo {
    /** What the run counted; {@code lost} and {@code undecryptable} are zero when all went well. */
    record Result(int sent, int delivered, int lost, long undecryptable) {
    }

    private record Sent(UserId from, String text, Set<UserId> audience) {
    }

    private final Path dir;
    private final PrintStream out;
    private final DemoNetworks networks;
    private final KeyEncryptionKey kek;
    private final Map<UserId, MemberClient> members = new LinkedHashMap<>();
    private final Map<UserId, Long> shownEpoch = new HashMap<>();
    private final Map<UserId, List<String>> read = new LinkedHashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    /** The group as the script expects it since the last step. */
    private Set<UserId> group = Set.of();
    private ClientOptions options;
    private RoomId xmppRoom;
    private RoomId matrixRoom;
    private UserId bridgeXmpp;
    private UserId bridgeMatrix;
    private WireTap xmppWire;
    private WireTap matrixWire;
    private BridgeRelay relay;
    private ExternalSenderBot bot;
    private int xmppShown;
    private int matrixShown;

    /** The key-encryption key is kept as {@code demo.key} in {@code dir}, so kept files can be opened again. */
    Demo(Path dir, PrintStream out, DemoNetworks networks) {
        this.dir = dir;
        this.out = out;
        this.networks = networks;
        this.kek = KeyEncryptionKeys.loadOrCreate(dir.resolve("demo.key"));
    }

    Result run() throws Exception {
        DemoNetworks.Bridge bridge = networks.openBridge();
        xmppRoom = bridge.xmpp().room();
        matrixRoom = bridge.matrix().room();
        bridgeXmpp = bridge.xmpp().transport().self();
        bridgeMatrix = bridge.matrix().transport().self();
        RoomPolicy xmppSide = RoomPolicy.DEFAULT.withSequencer(bridgeXmpp);
        RoomPolicy matrixSide = RoomPolicy.DEFAULT.withSequencer(bridgeMatrix);
        RoomId a = xmppRoom;
        options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(30))
                .withPolicies(room -> room.equals(a) ? xmppSide : matrixSide);
        out.println("mlsbridge demo: " + networks.description() + ", real SQLite files in " + dir);
        out.println("XMPP room " + xmppRoom + " <-> Matrix room " + matrixRoom + ": one MLS group");
        out.println("bridge: relay " + bridgeXmpp + " / " + bridgeMatrix + ", bot " + bridge.bot()
                + " (external-sender mode: the bridge never holds group secrets)");
        out.println("wire lines: what each server carried, by whom; a member's own post of a handshake message is a"
                + " submission, the bridge's copy of it is the one members act on, in the same order on both sides");
        xmppWire = new WireTap(bridge.xmpp().transport(), xmppRoom);
        matrixWire = new WireTap(bridge.matrix().transport(), matrixRoom);
        relay = new BridgeRelay(new RoomSide(xmppRoom, xmppWire.transport()),
                new RoomSide(matrixRoom, matrixWire.transport()),
                store("bridge-relay"), options);
        bot = new ExternalSenderBot(new PairedTransport(bridge.botXmpp(), xmppRoom, bridge.botMatrix(), matrixRoom,
                bridge.accounts()), store(bridge.bot().value()), options);
        try {
            section("alice (XMPP) creates the MLS group, listing the bridge's bot as external sender");
            MemberClient alice = join(networks.xmppUser("alice"));
            alice.createGroup(xmppRoom, List.of(alice.externalSenderOf(bridge.bot())));
            settle(alice);

            section("bob joins on XMPP, carol and dave on Matrix; the bot proposes Adds, a member commits them,"
                    + " the bridge orders it for both rooms and carries the Welcome to Matrix");
            MemberClient bob = join(networks.xmppUser("bob"));
            MemberClient carol = join(networks.matrixUser("carol"));
            MemberClient dave = join(networks.matrixUser("dave"));
            settle(alice, bob, carol, dave);

            section("everyone talks, across the networks");
            say(alice, "Hello everyone, this group spans XMPP and Matrix, end to end encrypted.");
            say(carol, "Hi from Matrix! The bridge only relays ciphertext.");
            say(bob, "And the servers see ciphertext only.");
            say(dave, "Good to be here.");
            settle(alice, bob, carol, dave);

            section("dave is banned from the Matrix room; the bot proposes his removal, a member commits it");
            networks.ban(dave.self());
            settle(alice, bob, carol);

            section("a message dave cannot read");
            say(alice, "Now that dave is gone: the plan is on.");
            say(carol, "Agreed.");
            settle(alice, bob, carol);
            out.println("  dave: holds no key of epoch " + alice.epoch(xmppRoom).map(String::valueOf).orElse("?")
                    + " (his client deleted the group when the removal was merged)");

            section("erin joins on Matrix later and reads from then on");
            MemberClient erin = join(networks.matrixUser("erin"));
            settle(alice, bob, carol, erin);
            say(bob, "Welcome erin.");
            say(erin, "Thanks, glad to be in.");
            settle(alice, bob, carol, erin);
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

    private RoomId roomOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? xmppRoom : matrixRoom;
    }

    /** The account's client starts (publishing its KeyPackages), then the account enters its network's room. */
    private MemberClient join(UserId u) throws Exception {
        Transport t = networks.connect(u);
        MemberClient c = new MemberClient(t, store(u.value()), options);
        members.put(u, c);
        read.put(u, new ArrayList<>());
        networks.enter(u, t);
        return c;
    }

    private SqliteClientStore store(String name) {
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name.replaceAll("[^A-Za-z0-9@._-]", "_") + ".db"),
                kek));
    }

    private void say(MemberClient c, String text) throws Exception {
        // Who should read it is the script's group, not the sender's: a step that did not settle
        // (someone missing from the group, a removal not merged) shows as a message lost.
        Set<UserId> audience = group.stream().filter(u -> !u.equals(c.self())).collect(Collectors.toSet());
        sent.add(new Sent(c.self(), text, audience));
        if (c.send(roomOf(c.self()), Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))).isEmpty()) {
            out.println("  " + name(c.self()) + " is not in the group: cannot send \"" + text + "\"");
            return;
        }
        out.println("  " + name(c.self()) + " sends: \"" + text + "\"");
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    /**
     * Runs everyone until the given members are the group on every client in it (one epoch), the others
     * hold no group, every message sent so far is read by its audience and nothing has moved for a
     * while; or until the networks' patience runs out (what is missing then shows in the summary).
     * Then prints both wires, what was read and epoch changes.
     */
    private void settle(MemberClient... in) throws Exception {
        Set<UserId> expected = Arrays.stream(in).map(MemberClient::self).collect(Collectors.toSet());
        group = expected;
        List<String> reads = new ArrayList<>();
        long deadline = System.nanoTime() + networks.patience().toNanos();
        long lastMove = System.nanoTime();
        int quietRounds = 0;
        while (true) {
            int n = relay.step(500, Duration.ZERO);
            n += bot.step(500, Duration.ZERO);
            boolean due = false;
            for (MemberClient c : members.values()) {
                n += c.step(500, Duration.ZERO);
                due |= c.hasDueWork();
            }
            collectReads(reads);
            if (n > 0 || due) {
                quietRounds = 0;
                lastMove = System.nanoTime();
            } else {
                quietRounds++;
            }
            boolean quiet = quietRounds >= 3 && System.nanoTime() - lastMove >= networks.quiet().toNanos();
            if (quiet && settled(expected)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                out.println("  (not settled after " + networks.patience().toSeconds() + " s; going on)");
                break;
            }
            if (n == 0) {
                Thread.sleep(due ? 5 : networks.quiet().isZero() ? 1 : 20);
            }
        }
        xmppShown = showWire("xmpp  ", xmppWire.messages(), xmppShown, bridgeXmpp);
        matrixShown = showWire("matrix", matrixWire.messages(), matrixShown, bridgeMatrix);
        reads.forEach(out::println);
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

    /** Takes what each member read since the last call, as transcript lines. */
    private void collectReads(List<String> lines) {
        for (MemberClient c : members.values()) {
            for (ReceivedMessage m : c.received()) {
                String text = new String(m.text().toByteArray(), StandardCharsets.UTF_8);
                read.get(c.self()).add(m.sender().value() + "\0" + text);
                lines.add("  read  " + name(c.self()) + " <- " + name(m.sender()) + ": \"" + text + "\""
                        + (m.endToEndEncrypted() ? "" : " [NOT end-to-end encrypted]"));
                c.acknowledge(m);
            }
        }
    }

    /** Whether the group is {@code expected} everywhere in one epoch and every message reached its audience. */
    private boolean settled(Set<UserId> expected) {
        Set<Long> epochs = new HashSet<>();
        for (MemberClient c : members.values()) {
            Optional<Long> e = c.epoch(roomOf(c.self()));
            if (expected.contains(c.self())) {
                if (e.isEmpty() || !Set.copyOf(c.groupMembers(roomOf(c.self()))).equals(expected)) {
                    return false;
                }
                epochs.add(e.get());
            } else if (e.isPresent()) {
                return false;
            }
        }
        return epochs.size() == 1 && sent.stream().allMatch(s -> s.audience().stream()
                .allMatch(u -> read.get(u).contains(s.from().value() + "\0" + s.text())));
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
