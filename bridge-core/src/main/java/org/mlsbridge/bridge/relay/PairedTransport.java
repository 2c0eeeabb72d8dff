package org.mlsbridge.bridge.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.manager.LegacyRooms;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Bridged pairs as rooms of one network, for the external-sender bot that turns both rooms'
 * membership into MLS membership: the bot's own connection on room A's network ({@code home})
 * carries its messages, and a connection of the bridge account on room B's network
 * ({@code away}) adds room B's membership, reported as room A's. KeyPackages are claimed on each
 * user's own network. The bridge's own accounts are never members to the bot; Welcomes are the
 * relay's business, not the bot's.
 *
 * <p>The bot posts its proposals either as a submission in room A through {@code home} (a bot
 * with an account of its own), or, for a pair with a {@link Sequencer} (a bot that shares the
 * bridge's account on room A's network, whose posts members would take as sequenced), through
 * the pair's relay, which posts them into both rooms in the pair's order.
 *
 * <p>Plain (non-MLS) room messages of either room reach the bot under their own room, and its
 * plain posts go to the room they name: a member-mode bot gateways the users without MLS of both
 * rooms ({@link LegacyRooms}). The bridge accounts' own plain posts never come back to it.
 *
 * <p>A cursor is the pair of the two connections' cursors. The bot's own KeyPackages live on
 * {@code home}.
 */
public final class PairedTransport extends ForwardingTransport implements LegacyRooms {
    private static final String PREFIX = "pair:";

    /** One bridged pair: room A (the bot's home network), room B, and who posts the bot's handshakes. */
    public record Pair(RoomId home, RoomId away, Optional<Sequencer> sequencer) {
        public Pair {
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(away, "away");
            Objects.requireNonNull(sequencer, "sequencer");
        }
    }

    private final Transport home;
    private final Transport away;
    private final Map<RoomId, Pair> byHome = new HashMap<>();
    private final Map<RoomId, Pair> byAway = new HashMap<>();
    private final Set<UserId> bridgeAccounts;
    /** A cursor handed out (or asked with) and how far the connections really read after it. */
    private String skippedFrom;
    private Optional<Cursor>[] skippedTo;

    /** One pair, the bot's proposals posted through {@code home} as submissions. */
    public PairedTransport(Transport home, RoomId homeRoom, Transport away, RoomId awayRoom, Set<UserId> bridgeAccounts) {
        this(home, away, List.of(new Pair(homeRoom, awayRoom, Optional.empty())), bridgeAccounts);
    }

    public PairedTransport(Transport home, Transport away, List<Pair> pairs, Set<UserId> bridgeAccounts) {
        super(home);
        this.home = home;
        this.away = Objects.requireNonNull(away, "away");
        for (Pair p : pairs) {
            if (byHome.put(p.home(), p) != null || byAway.put(p.away(), p) != null) {
                throw new IllegalArgumentException("a room in two pairs: " + p);
            }
        }
        this.bridgeAccounts = Set.copyOf(bridgeAccounts);
    }

    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        return on(user).claimKeyPackage(user);
    }

    @Override
    public List<Bytes> claimKeyPackages(UserId user) throws TransportException {
        return on(user).claimKeyPackages(user);
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        Pair p = byHome.get(room);
        if (p != null && p.sequencer().isPresent()) {
            p.sequencer().get().sequence(id, payload);
            return new ServerId("sequenced:" + id.value());
        }
        return home.sendToRoom(room, id, payload);
    }

    @Override
    public ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException {
        return (byAway.containsKey(room) ? away : home).sendTextToRoom(room, id, text);
    }

    @Override
    public List<LegacyRooms.Room> roomsOf(RoomId groupRoom) {
        Pair p = byHome.get(groupRoom);
        LegacyRooms.Room own = new LegacyRooms.Room(groupRoom, home.self().network());
        return p == null ? List.of(own) : List.of(own, new LegacyRooms.Room(p.away(), away.self().network()));
    }

    @Override
    public Optional<RoomId> groupOf(RoomId room) {
        Pair p = byAway.get(room);
        return p != null ? Optional.of(p.home()) : byHome.containsKey(room) ? Optional.of(room) : Optional.empty();
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        Transport t = on(user);
        Pair p = byHome.get(room);
        if (user.equals(home.self()) && p != null && p.sequencer().isPresent()) {
            // a member-mode bot's Welcome for joiners on the other network, to its own sequencer
            p.sequencer().get().forwardWelcome(id, welcome);
            return;
        }
        t.sendToUser(user, t == home || p == null ? room : p.away(), id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        Set<UserId> out = new HashSet<>(home.members(room));
        Pair p = byHome.get(room);
        if (p != null) {
            out.addAll(away.members(p.away()));
        }
        out.removeAll(bridgeAccounts);
        return Set.copyOf(out);
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        boolean skip = skippedFrom != null && after.map(Cursor::value).orElse("").equals(skippedFrom);
        Optional<Cursor>[] at = skip
                ? skippedTo.clone() : decode(after);
        List<Delivery> out = new ArrayList<>();
        collect(home, 0, at, max, Duration.ZERO, out);
        collect(away, 1, at, max - out.size(), Duration.ZERO, out);
        if (out.isEmpty() && !wait.isZero()) {
            collect(home, 0, at, max, wait, out);
        }
        // Events read past the last one handed out (the other room's messages, the bridge's own
        // membership) are nobody's business here; remember how far they went, so the next poll
        // from the caller's cursor does not read them again.
        Optional<Cursor> last = out.isEmpty() ? after : Optional.of(out.get(out.size() - 1).cursor());
        Cursor reached = encode(at);
        if (last.isEmpty() || !last.get().equals(reached)) {
            skippedFrom = last.map(Cursor::value).orElse("");
            skippedTo = at.clone();
        }
        return out;
    }

    /** Reads one connection until it has something for the bot or nothing more; skipped events move the cursor too. */
    private void collect(Transport t, int part, Optional<Cursor>[] at, int max, Duration wait, List<Delivery> out)
            throws TransportException, InterruptedException {
        if (max <= 0) {
            return;
        }
        while (true) {
            List<Delivery> batch = t.poll(at[part], max, wait);
            if (batch.isEmpty()) {
                return;
            }
            boolean kept = false;
            for (Delivery d : batch) {
                at[part] = Optional.of(d.cursor());
                Optional<RoomEvent> e = part == 0 ? fromHome(d.event()) : fromAway(d.event());
                if (e.isPresent()) {
                    out.add(new Delivery(e.get(), encode(at)));
                    kept = true;
                }
            }
            if (kept || batch.size() < max) {
                return;
            }
        }
    }

    private Optional<RoomEvent> fromHome(RoomEvent e) {
        if (!byHome.containsKey(e.room()) || isBridgeMembership(e) || e instanceof RoomEvent.WelcomeReceived
                || e instanceof RoomEvent.PlainMessage p && bridgeAccounts.contains(p.sender())) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** Room B's membership as room A's; its messages are the relay's business. */
    private Optional<RoomEvent> fromAway(RoomEvent e) {
        Pair p = byAway.get(e.room());
        if (p == null || isBridgeMembership(e)) {
            return Optional.empty();
        }
        RoomId homeRoom = p.home();
        return switch (e) {
            case RoomEvent.MemberJoined j -> Optional.of(new RoomEvent.MemberJoined(homeRoom, j.user()));
            case RoomEvent.MemberLeft l -> Optional.of(new RoomEvent.MemberLeft(homeRoom, l.user()));
            case RoomEvent.MemberBanned b -> Optional.of(new RoomEvent.MemberBanned(homeRoom, b.user()));
            case RoomEvent.RoomMessage m -> Optional.empty();
            // kept in room B: the member-mode bot gateways room B's users without MLS from there
            case RoomEvent.PlainMessage t -> bridgeAccounts.contains(t.sender()) ? Optional.empty() : Optional.of(t);
            case RoomEvent.WelcomeReceived w -> Optional.empty();
        };
    }

    private boolean isBridgeMembership(RoomEvent e) {
        return switch (e) {
            case RoomEvent.MemberJoined j -> bridgeAccounts.contains(j.user());
            case RoomEvent.MemberLeft l -> bridgeAccounts.contains(l.user());
            case RoomEvent.MemberBanned b -> bridgeAccounts.contains(b.user());
            default -> false;
        };
    }

    private Transport on(UserId user) {
        return user.network() == home.self().network() ? home : away;
    }

    private static Cursor encode(Optional<Cursor>[] at) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return new Cursor(PREFIX + b.encodeToString(at[0].map(Cursor::value).orElse("").getBytes(StandardCharsets.UTF_8))
                + "." + b.encodeToString(at[1].map(Cursor::value).orElse("").getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Optional<Cursor>[] decode(Optional<Cursor> c) throws TransportException {
        Optional<Cursor>[] at = new Optional[] {Optional.empty(), Optional.empty()};
        if (c.isEmpty()) {
            return at;
        }
        String v = c.get().value();
        int dot = v.indexOf('.');
        if (!v.startsWith(PREFIX) || dot < 0) {
            throw new TransportException("not a cursor of a bridged pair: " + v, false);
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            String a = new String(d.decode(v.substring(PREFIX.length(), dot)), StandardCharsets.UTF_8);
            String b = new String(d.decode(v.substring(dot + 1)), StandardCharsets.UTF_8);
            at[0] = a.isEmpty() ? Optional.empty() : Optional.of(new Cursor(a));
            at[1] = b.isEmpty() ? Optional.empty() : Optional.of(new Cursor(b));
            return at;
        } catch (IllegalArgumentException e) {
            throw new TransportException("malformed cursor of a bridged pair", false);
        }
    }

    @Override
    public void close() {
        home.close();
        away.close();
    }
}
