package org.mlsbridge.bridge.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A chat server in memory with the semantics a real room has, for tests and the embedded demo.
 *
 * <p>Every event gets a position in one global log; a room's events are thus totally ordered and
 * every member sees them in that order. Each event is visible to a fixed audience chosen when it
 * happens: a room message to the room's members at that moment (its sender included), a join to
 * the members including the newcomer, a leave or ban to the members including the one leaving,
 * a Welcome to its addressee. A client's stream is the log filtered by its audience; a cursor is
 * a position in the log, so any connection of the same user resumes from it and replays
 * everything it missed while offline.
 *
 * <p>Safe for use by several threads; {@link Transport#poll} blocks on a condition until a new
 * event arrives.
 */
public final class InMemoryNetwork {
    private static final String CURSOR_PREFIX = "mem:";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final List<RoomEvent> log = new ArrayList<>();
    private final Map<UserId, List<Integer>> visible = new HashMap<>();
    private final Map<RoomId, Room> rooms = new HashMap<>();
    private final Map<UserId, KeyPackageDirectory> keyPackages = new HashMap<>();
    private final Map<String, ServerId> sentByClientId = new HashMap<>();
    private final Set<UserId> dropNextAck = new HashSet<>();
    private long roomMessages;
    private long welcomes;

    private static final class Room {
        final Set<UserId> members = new TreeSet<>();
        final Set<UserId> banned = new HashSet<>();
    }

    private static final class KeyPackageDirectory {
        final LinkedHashMap<Bytes, Bytes> oneTime = new LinkedHashMap<>();
        Optional<PublishedKeyPackage> lastResort = Optional.empty();
    }

    /** A new connection acting as {@code user}; any number may exist, also one after another. */
    public Transport connect(UserId user) {
        return new InMemoryTransport(this, user);
    }

    /** Creates an empty room; a no-op if it exists. */
    public void createRoom(RoomId room) {
        lock.lock();
        try {
            rooms.computeIfAbsent(room, r -> new Room());
        } finally {
            lock.unlock();
        }
    }

    /** {@code user} joins (creating the room if needed); a no-op for a member. */
    public void join(RoomId room, UserId user) {
        lock.lock();
        try {
            Room r = rooms.computeIfAbsent(room, x -> new Room());
            if (r.banned.contains(user)) {
                throw new IllegalStateException(user + " is banned from " + room);
            }
            if (r.members.add(user)) {
                append(new RoomEvent.MemberJoined(room, user), r.members);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code user} leaves; a no-op for a non-member. */
    public void leave(RoomId room, UserId user) {
        lock.lock();
        try {
            Room r = requireRoom(room);
            if (r.members.contains(user)) {
                append(new RoomEvent.MemberLeft(room, user), r.members);
                r.members.remove(user);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bans {@code user}: it leaves and cannot join again. */
    public void ban(RoomId room, UserId user) {
        lock.lock();
        try {
            Room r = requireRoom(room);
            r.banned.add(user);
            if (r.members.contains(user)) {
                append(new RoomEvent.MemberBanned(room, user), r.members);
                r.members.remove(user);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes the next successful send of {@code user} look failed to it (the server keeps it). */
    public void dropNextAcknowledgement(UserId user) {
        lock.lock();
        try {
            dropNextAck.add(user);
        } finally {
            lock.unlock();
        }
    }

    /** How many distinct room messages were accepted (retries not counted). */
    public long roomMessageCount() {
        lock.lock();
        try {
            return roomMessages;
        } finally {
            lock.unlock();
        }
    }

    /** How many distinct Welcomes were accepted. */
    public long welcomeCount() {
        lock.lock();
        try {
            return welcomes;
        } finally {
            lock.unlock();
        }
    }

    /** Every room message of {@code room} in order, as an observer of the server would see it. */
    public List<RoomEvent.RoomMessage> roomLog(RoomId room) {
        lock.lock();
        try {
            List<RoomEvent.RoomMessage> out = new ArrayList<>();
            for (RoomEvent e : log) {
                if (e instanceof RoomEvent.RoomMessage m && m.room().equals(room)) {
                    out.add(m);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Every plain (non-MLS) message of {@code room} in order, as a chat client without MLS reads the room. */
    public List<RoomEvent.PlainMessage> plainLog(RoomId room) {
        lock.lock();
        try {
            List<RoomEvent.PlainMessage> out = new ArrayList<>();
            for (RoomEvent e : log) {
                if (e instanceof RoomEvent.PlainMessage m && m.room().equals(room)) {
                    out.add(m);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    // ---- called by InMemoryTransport -------------------------------------------------------------

    void publish(UserId user, List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort) {
        lock.lock();
        try {
            KeyPackageDirectory d = keyPackages.computeIfAbsent(user, u -> new KeyPackageDirectory());
            for (PublishedKeyPackage kp : oneTime) {
                d.oneTime.put(kp.ref(), kp.keyPackage());
            }
            if (lastResort.isPresent()) {
                d.lastResort = lastResort;
            }
        } finally {
            lock.unlock();
        }
    }

    int available(UserId user) {
        lock.lock();
        try {
            KeyPackageDirectory d = keyPackages.get(user);
            return d == null ? 0 : d.oneTime.size();
        } finally {
            lock.unlock();
        }
    }

    void retract(UserId user, Bytes ref) {
        lock.lock();
        try {
            KeyPackageDirectory d = keyPackages.get(user);
            if (d != null) {
                d.oneTime.remove(ref);
                if (d.lastResort.isPresent() && d.lastResort.get().ref().equals(ref)) {
                    d.lastResort = Optional.empty();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    Optional<Bytes> claim(UserId user) {
        lock.lock();
        try {
            KeyPackageDirectory d = keyPackages.get(user);
            if (d == null) {
                return Optional.empty();
            }
            var it = d.oneTime.entrySet().iterator();
            if (it.hasNext()) {
                Bytes kp = it.next().getValue();
                it.remove();
                return Optional.of(kp);
            }
            return d.lastResort.map(PublishedKeyPackage::keyPackage);
        } finally {
            lock.unlock();
        }
    }

    ServerId sendToRoom(UserId sender, RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        return post(sender, room, id, serverId -> new RoomEvent.RoomMessage(room, sender, serverId, payload));
    }

    ServerId sendTextToRoom(UserId sender, RoomId room, ClientMessageId id, String text) throws TransportException {
        if (text.getBytes(StandardCharsets.UTF_8).length > RoomEvent.PlainMessage.MAX_TEXT_BYTES) {
            throw new TransportException("text over " + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes", false);
        }
        return post(sender, room, id, serverId -> new RoomEvent.PlainMessage(room, sender, serverId, text));
    }

    private ServerId post(UserId sender, RoomId room, ClientMessageId id,
            Function<ServerId, RoomEvent> event) throws TransportException {
        lock.lock();
        try {
            String key = "room\0" + sender.value() + "\0" + id.value();
            ServerId existing = sentByClientId.get(key);
            if (existing != null) {
                return existing;
            }
            Room r = rooms.get(room);
            if (r == null || !r.members.contains(sender)) {
                throw new TransportException(sender + " is not a member of " + room, false);
            }
            ServerId serverId = new ServerId("$" + room.value() + "/" + (log.size() + 1));
            append(event.apply(serverId), r.members);
            sentByClientId.put(key, serverId);
            roomMessages++;
            checkAck(sender);
            return serverId;
        } finally {
            lock.unlock();
        }
    }

    void sendToUser(UserId sender, UserId user, RoomId room, ClientMessageId id, Bytes welcome)
            throws TransportException {
        lock.lock();
        try {
            String key = "user\0" + sender.value() + "\0" + id.value();
            if (sentByClientId.containsKey(key)) {
                return;
            }
            ServerId serverId = new ServerId("!welcome/" + (log.size() + 1));
            append(new RoomEvent.WelcomeReceived(room, sender, serverId, welcome), Set.of(user));
            sentByClientId.put(key, serverId);
            welcomes++;
            checkAck(sender);
        } finally {
            lock.unlock();
        }
    }

    Set<UserId> members(RoomId room) {
        lock.lock();
        try {
            Room r = rooms.get(room);
            return r == null ? Set.of() : Set.copyOf(r.members);
        } finally {
            lock.unlock();
        }
    }

    List<Delivery> poll(UserId user, Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        int from = after.isEmpty() ? 0 : parse(after.get());
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            if (from > log.size()) {
                throw new TransportException("cursor " + after.get() + " is beyond the end of the log", false);
            }
            while (true) {
                List<Integer> mine = visible.getOrDefault(user, List.of());
                int start = firstAtOrAfter(mine, from);
                if (start < mine.size()) {
                    List<Delivery> out = new ArrayList<>();
                    for (int i = start; i < mine.size() && out.size() < max; i++) {
                        int pos = mine.get(i);
                        out.add(new Delivery(log.get(pos), new Cursor(CURSOR_PREFIX + (pos + 1))));
                    }
                    return out;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                appended.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- internals --------------------------------------------------------------------------------

    private void checkAck(UserId sender) throws TransportException {
        if (dropNextAck.remove(sender)) {
            throw new TransportException("acknowledgement lost (the server kept the message)", true);
        }
    }

    private void append(RoomEvent event, Set<UserId> audience) {
        int pos = log.size();
        log.add(event);
        for (UserId u : audience) {
            visible.computeIfAbsent(u, x -> new ArrayList<>()).add(pos);
        }
        appended.signalAll();
    }

    private Room requireRoom(RoomId room) {
        Room r = rooms.get(room);
        if (r == null) {
            throw new IllegalArgumentException("no such room: " + room);
        }
        return r;
    }

    private static int firstAtOrAfter(List<Integer> positions, int from) {
        int lo = 0;
        int hi = positions.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (positions.get(mid) < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int parse(Cursor cursor) throws TransportException {
        String v = cursor.value();
        if (!v.startsWith(CURSOR_PREFIX)) {
            throw new TransportException("not a cursor of this network: " + v, false);
        }
        try {
            int n = Integer.parseInt(v.substring(CURSOR_PREFIX.length()));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TransportException("malformed cursor: " + v, false);
        }
    }
}
