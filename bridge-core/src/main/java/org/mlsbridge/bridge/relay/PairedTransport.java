package org.mlsbridge.bridge.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A bridged pair as one room, for the external-sender bot that turns both rooms' membership into
 * MLS membership: the bot's own account in room A ({@code home}) carries its messages (its
 * proposals go in as submissions, the bridge's sequenced posts come back), and a connection of
 * the bridge account on room B's network ({@code away}) adds room B's membership, reported as
 * room A's. KeyPackages are claimed on each user's own network. The bridge's own accounts are
 * never members to the bot.
 *
 * <p>A cursor is the pair of the two connections' cursors.
 */
public final class PairedTransport implements Transport {
    private static final String PREFIX = "pair:";

    private final Transport home;
    private final RoomId homeRoom;
    private final Transport away;
    private final RoomId awayRoom;
    private final Set<UserId> bridgeAccounts;

    public PairedTransport(Transport home, RoomId homeRoom, Transport away, RoomId awayRoom, Set<UserId> bridgeAccounts) {
        this.home = Objects.requireNonNull(home, "home");
        this.homeRoom = Objects.requireNonNull(homeRoom, "homeRoom");
        this.away = Objects.requireNonNull(away, "away");
        this.awayRoom = Objects.requireNonNull(awayRoom, "awayRoom");
        this.bridgeAccounts = Set.copyOf(bridgeAccounts);
    }

    @Override
    public UserId self() {
        return home.self();
    }

    @Override
    public void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        home.publishKeyPackages(oneTime, lastResort);
    }

    @Override
    public int availableKeyPackages() throws TransportException {
        return home.availableKeyPackages();
    }

    @Override
    public void retractKeyPackage(Bytes ref) throws TransportException {
        home.retractKeyPackage(ref);
    }

    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        return on(user).claimKeyPackage(user);
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        return home.sendToRoom(room, id, payload);
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        Transport t = on(user);
        t.sendToUser(user, t == home ? homeRoom : awayRoom, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        Set<UserId> out = new HashSet<>(home.members(homeRoom));
        if (room.equals(homeRoom)) {
            out.addAll(away.members(awayRoom));
        }
        out.removeAll(bridgeAccounts);
        return Set.copyOf(out);
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        Optional<Cursor>[] at = decode(after);
        List<Delivery> out = new ArrayList<>();
        collect(home, 0, at, max, Duration.ZERO, out);
        collect(away, 1, at, max - out.size(), Duration.ZERO, out);
        if (out.isEmpty() && !wait.isZero()) {
            collect(home, 0, at, max, wait, out);
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
        if (!e.room().equals(homeRoom) || isBridgeMembership(e)) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** Room B's membership as room A's; its messages are the relay's business. */
    private Optional<RoomEvent> fromAway(RoomEvent e) {
        if (!e.room().equals(awayRoom) || isBridgeMembership(e)) {
            return Optional.empty();
        }
        return switch (e) {
            case RoomEvent.MemberJoined j -> Optional.of(new RoomEvent.MemberJoined(homeRoom, j.user()));
            case RoomEvent.MemberLeft l -> Optional.of(new RoomEvent.MemberLeft(homeRoom, l.user()));
            case RoomEvent.MemberBanned b -> Optional.of(new RoomEvent.MemberBanned(homeRoom, b.user()));
            case RoomEvent.RoomMessage m -> Optional.empty();
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
