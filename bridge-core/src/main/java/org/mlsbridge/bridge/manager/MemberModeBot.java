package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge bot of a room in member mode: it is itself a member of the group (so, unlike the
 * external-sender bot, it CAN read the room), creates the group, and commits Adds for newcomers
 * and Removes for leavers itself. Room members without KeyPackages are legacy plaintext users,
 * gatewayed both ways ({@link LegacyGateway}): their room messages are relayed into the group by
 * the bot, marked (MLS authenticated data {@code legacy-plaintext:<user>}) so that members show
 * them as NOT end-to-end encrypted, and what the group says is posted to them in the clear.
 *
 * <p>Its commits race with members' commits like any other; a losing one is simply re-derived
 * from room membership on the next step.
 */
public final class MemberModeBot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberModeBot.class);

    private final MemberClient client;
    private final LegacyRooms rooms;
    private final LegacyGateway gateway;
    private final Set<RoomId> dirty = new LinkedHashSet<>();

    /** A bot on one network: each group's legacy users are in its one room. */
    public MemberModeBot(Transport transport, ClientStore store, ClientOptions options) throws TransportException {
        this(transport, store, options, LegacyRooms.single(transport.self().network()));
    }

    /** @param rooms where each group's legacy users are (a bridged pair's two rooms: its {@code PairedTransport}) */
    public MemberModeBot(Transport transport, ClientStore store, ClientOptions options, LegacyRooms rooms)
            throws TransportException {
        this.client = new MemberClient(Objects.requireNonNull(transport, "transport"), store, options);
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.gateway = new LegacyGateway(client, rooms, this::gatewayed);
        client.setHooks(new Hooks());
        dirty.addAll(client.store().transaction(tx -> list(tx, "mm:rooms")).stream().map(RoomId::new).toList());
    }

    public UserId self() {
        return client.self();
    }

    public Counters counters() {
        return client.counters();
    }

    /** The bot's own client (it is a member): epoch, members, what it read. */
    public MemberClient client() {
        return client;
    }

    /** Starts managing a room the bot is in: creates its group unless it exists. */
    public void manage(RoomId room) throws TransportException, MlsException {
        Set<UserId> now = client.transport().members(room);
        boolean create = client.store().transaction(tx -> {
            List<String> rooms = list(tx, "mm:rooms");
            if (!rooms.contains(room.value())) {
                rooms.add(room.value());
                putList(tx, "mm:rooms", rooms);
            }
            List<String> members = list(tx, membersKey(room));
            for (UserId u : now) {
                if (!u.equals(client.self()) && !members.contains(u.value())) {
                    members.add(u.value());
                }
            }
            putList(tx, membersKey(room), members);
            return !client.canCommit(tx, room) && client.leavesOf(tx, room, client.self()).isEmpty();
        });
        if (create) {
            // Listing itself in external_senders tells members, authenticated by the group, who the
            // room's bot is: only its legacy-plaintext label is honoured, and only it may change the group's context.
            var id = client.identity();
            client.createGroup(room, List.of(new ExternalSender(id.signaturePublicKey(), id.credential())));
        }
        dirty.add(room);
    }

    /** Room members outside the group because they have no KeyPackage: NOT end-to-end encrypted. */
    public Set<UserId> legacyUsers(RoomId room) {
        return client.store().transaction(tx -> gatewayed(tx, room).stream().map(UserId::new)
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /**
     * The group's legacy users as the gateway serves them: a legacy user stays one until their
     * client is in the group, also while the bot looks for their KeyPackages again, so that
     * nothing said meanwhile misses them; and one whose Add was ordered is served by MLS alone,
     * even before the bot tidies its list.
     */
    private List<String> gatewayed(ClientStore.Tx tx, RoomId group) {
        List<String> legacy = list(tx, legacyKey(group));
        legacy.removeIf(u -> !client.leavesOf(tx, group, new UserId(u)).isEmpty());
        return legacy;
    }

    /** One turn of the bot's client, then commits whatever membership still needs. */
    public int step(int max, Duration wait) throws TransportException, InterruptedException {
        int n = client.step(max, wait);
        for (RoomId room : List.copyOf(dirty)) {
            boolean done = reconcile(room);
            releaseHeld(room);
            if (done) {
                dirty.remove(room);
            }
        }
        client.flush();
        return n;
    }

    /** Gateways the held plain messages of users now known to be legacy users, discards others'. */
    private void releaseHeld(RoomId group) {
        client.transaction(tx -> HeldPlainMessages.release(tx, group, u -> fate(tx, group, u),
                m -> gateway.fromRoom(tx, m), m -> client.counters().plainIgnored()));
    }

    private HeldPlainMessages.Fate fate(ClientStore.Tx tx, RoomId group, UserId user) {
        if (gatewayed(tx, group).contains(user.value())) {
            return HeldPlainMessages.Fate.GATEWAY;
        }
        return awaitingClassification(tx, group, user) ? HeldPlainMessages.Fate.WAIT : HeldPlainMessages.Fate.DISCARD;
    }

    /** In the room, but not yet found to be an MLS member, a legacy user or refused. */
    private boolean awaitingClassification(ClientStore.Tx tx, RoomId group, UserId user) {
        return !user.equals(client.self()) && list(tx, membersKey(group)).contains(user.value())
                && !list(tx, legacyKey(group)).contains(user.value())
                && !list(tx, refusedKey(group)).contains(user.value())
                && client.leavesOf(tx, group, user).isEmpty();
    }

    /** True when the group matches the room (nothing left to do until membership changes). */
    private boolean reconcile(RoomId room) throws TransportException {
        List<UserId> inGroup = client.groupMembers(room);
        if (inGroup.isEmpty()) {
            return false;
        }
        forgetLegacyInGroup(room, inGroup);
        List<String> members = client.store().transaction(tx -> list(tx, membersKey(room)));
        List<String> legacy = client.store().transaction(tx -> list(tx, legacyKey(room)));
        List<String> recheck = client.store().transaction(tx -> list(tx, recheckKey(room)));
        List<String> refused = client.store().transaction(tx -> list(tx, refusedKey(room)));
        List<UserId> add = new ArrayList<>();
        for (String m : members) {
            UserId u = new UserId(m);
            if (!inGroup.contains(u) && (!legacy.contains(m) || recheck.contains(m)) && !refused.contains(m)) {
                add.add(u);
            }
        }
        List<UserId> remove = inGroup.stream()
                .filter(u -> !u.equals(client.self()) && !members.contains(u.value())).toList();
        if (add.isEmpty() && remove.isEmpty()) {
            return true;
        }
        boolean free = client.store().transaction(tx -> client.canCommit(tx, room));
        if (!free) {
            return false; // our previous commit is in flight; look again after it is ordered
        }
        Map<UserId, List<KeyPackage>> claimed = new HashMap<>();
        Set<UserId> refusedNow = new java.util.HashSet<>();
        for (UserId u : add) {
            List<KeyPackage> valid = new ArrayList<>();
            for (Bytes kp : client.transport().claimKeyPackages(u)) { // one per MLS client of the account
                Optional<KeyPackage> parsed = keyPackage(kp);
                if (parsed.isEmpty()) {
                    continue;
                }
                try {
                    client.options().authentication().checkClaimed(u, parsed.get());
                    valid.add(parsed.get());
                } catch (Refusal e) {
                    // the directory handed out someone else's KeyPackage: add nobody in u's name
                    client.counters().count(DropReason.KEY_PACKAGE_IDENTITY);
                    refusedNow.add(u);
                    LOG.warn("refused KeyPackage: room={} user={} reason={}", room, u, e.getMessage());
                }
            }
            if (!valid.isEmpty() && !refusedNow.contains(u)) {
                claimed.put(u, valid);
            }
        }
        client.store().transaction(tx -> {
            List<Proposal> proposals = new ArrayList<>();
            List<String> legacyNow = list(tx, legacyKey(room));
            for (UserId u : add) {
                List<KeyPackage> k = claimed.get(u);
                if (k == null && refusedNow.contains(u)) {
                    BlobLists.add(tx, refusedKey(room), u.value()); // tried again when the user re-joins the room
                    continue;
                }
                if (k == null) {
                    BlobLists.remove(tx, recheckKey(room), u.value());
                    if (!legacyNow.contains(u.value())) {
                        legacyNow.add(u.value());
                        LOG.info("legacy user (no KeyPackage, NOT end-to-end encrypted): room={} user={}", room, u);
                    }
                } else {
                    // a legacy user stays gatewayed until the Add is ordered (forgetLegacyInGroup)
                    k.forEach(kp -> proposals.add(new Proposal.Add(kp)));
                }
            }
            for (UserId u : remove) {
                // every device of the account: a leaf left behind would be a hidden member
                client.leavesOf(tx, room, u).forEach(leaf -> proposals.add(new Proposal.Remove(leaf)));
            }
            putList(tx, legacyKey(room), legacyNow);
            client.commitMembership(tx, room, proposals);
            return null;
        });
        return false;
    }

    /** Legacy users whose client is now in the group are legacy no more. */
    private void forgetLegacyInGroup(RoomId room, List<UserId> inGroup) {
        client.transaction(tx -> {
            for (UserId u : inGroup) {
                if (BlobLists.remove(tx, legacyKey(room), u.value())) {
                    BlobLists.remove(tx, recheckKey(room), u.value());
                }
            }
            return null;
        });
    }

    private final class Hooks implements MemberClient.Hooks {
        @Override
        public void memberJoined(ClientStore.Tx tx, RoomId room, UserId user) {
            List<String> members = list(tx, membersKey(room));
            if (!members.contains(user.value())) {
                members.add(user.value());
                putList(tx, membersKey(room), members);
            }
            if (list(tx, legacyKey(room)).contains(user.value())) {
                // Look for KeyPackages again, but keep gatewaying meanwhile: a join repeated by the
                // server (a stream read again from its start, a re-entered room) is no leave.
                BlobLists.add(tx, recheckKey(room), user.value());
            }
            BlobLists.remove(tx, refusedKey(room), user.value());
            dirty.add(room);
        }

        @Override
        public void memberGone(ClientStore.Tx tx, RoomId room, UserId user) {
            List<String> members = list(tx, membersKey(room));
            if (members.remove(user.value())) {
                putList(tx, membersKey(room), members);
            }
            BlobLists.remove(tx, legacyKey(room), user.value());
            BlobLists.remove(tx, recheckKey(room), user.value());
            dirty.add(room);
        }

        @Override
        public boolean plainText(ClientStore.Tx tx, RoomEvent.PlainMessage m) {
            if (gateway.fromRoom(tx, m)) {
                return true;
            }
            Optional<RoomId> group = rooms.groupOf(m.room());
            if (group.isEmpty() || !awaitingClassification(tx, group.get(), m.sender())
                    || !HeldPlainMessages.hold(tx, group.get(), m)) {
                return false;
            }
            dirty.add(group.get());
            return true;
        }

        @Override
        public void delivered(ClientStore.Tx tx, ReceivedMessage m) {
            gateway.toRooms(tx, m);
        }
    }

    private static Optional<KeyPackage> keyPackage(Bytes b) {
        try {
            return MlsMessage.decode(b).body() instanceof KeyPackage k ? Optional.of(k) : Optional.empty();
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    private static String membersKey(RoomId room) {
        return "mm:members:" + room.value();
    }

    /** Room members whose claimed KeyPackage named someone else: not added until they join the room again. */
    private static String refusedKey(RoomId room) {
        return "mm:refused:" + room.value();
    }

    private static String legacyKey(RoomId room) {
        return "mm:legacy:" + room.value();
    }

    /** Legacy users who joined the room again: their KeyPackages are looked for again. */
    private static String recheckKey(RoomId room) {
        return "mm:recheck:" + room.value();
    }

    private static List<String> list(ClientStore.Tx tx, String key) {
        return BlobLists.get(tx, key);
    }

    private static void putList(ClientStore.Tx tx, String key, List<String> values) {
        BlobLists.put(tx, key, values);
    }

    @Override
    public void close() {
        client.close();
    }
}
