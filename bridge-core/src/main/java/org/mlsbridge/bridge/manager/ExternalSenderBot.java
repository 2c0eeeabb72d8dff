package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.ExternalProposer;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge bot of a room in external-sender mode (the default): it follows the room's
 * membership and turns it into MLS membership by sending Add and Remove proposals as an external
 * sender (RFC 9420 §12.1.8.1); members commit them. It never holds a group secret.
 *
 * <p>Its public view of each group is the latest GroupInfo that members post after each commit
 * (signature checked against the signer's leaf in the included ratchet tree): the epoch, the
 * members and their leaves. It checks each commit's signature against that view, treats the
 * first valid commit of an epoch as the winner (counting the rest), and proposes again in the
 * next epoch whatever is still missing, so lost proposals are retried. Newcomers without any
 * KeyPackage are legacy users: they stay outside the group and are reported by
 * {@link #legacyUsers}.
 *
 * <p>Members learn the bot's signature key (for external_senders) from its last_resort
 * KeyPackage, the only one it publishes.
 */
public final class ExternalSenderBot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalSenderBot.class);
    private static final String IDENTITY = "bot";

    private final UserId self;
    private final Transport transport;
    private final ClientStore store;
    private final ClientOptions options;
    private final Counters counters = new Counters();
    private final DropLog drops = new DropLog(counters, java.time.Clock.systemUTC());
    private final EventRunner runner;
    private final BotIdentities identities;
    private final Set<RoomId> dirty = new LinkedHashSet<>();
    private final GroupFollower follower;
    /** When each room's epoch was sealed by a commit, to reopen it if no GroupInfo ever follows. */
    private final Map<RoomId, Long> sealedAt = new HashMap<>();
    private static final Duration SEAL_TIMEOUT = Duration.ofSeconds(10);
    /** Legacy users are claimed for again after 1, 2, 4, ... s (at most 30 s apart), this many times. */
    static final int LEGACY_RETRIES = 10;
    private static final Duration LEGACY_FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LEGACY_MAX_RETRY = Duration.ofSeconds(30);
    private final Map<RoomId, LegacyRetry> legacyRetries = new HashMap<>();

    /** When a room's legacy users are next claimed for, and how often that happened. */
    private record LegacyRetry(int attempts, long dueNanos) {
    }

    public ExternalSenderBot(Transport transport, ClientStore store, ClientOptions options) throws TransportException {
        this(transport, store, options, List.of());
    }

    /**
     * A bot that is also an external sender under other accounts: for each of {@code alsoAs} it
     * keeps an identity whose credential is that connection's account, and publishes that
     * identity's last_resort KeyPackage there, so a group's creator on that network can list the
     * bot too (a bridge's bot, one account per network). It proposes in each group as the identity
     * the group lists.
     */
    public ExternalSenderBot(Transport transport, ClientStore store, ClientOptions options, List<Transport> alsoAs)
            throws TransportException {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.self = transport.self();
        this.runner = new EventRunner(store, drops, () -> { });
        SignatureIdentity identity = identity(IDENTITY, self);
        List<ExternalProposer> proposers = new ArrayList<>();
        proposers.add(new ExternalProposer(identity, options.groupConfig().crypto()));
        publish(transport, identity);
        for (Transport other : alsoAs) {
            SignatureIdentity id = identity(IDENTITY + ":" + other.self().value(), other.self());
            proposers.add(new ExternalProposer(id, options.groupConfig().crypto()));
            publish(other, id);
        }
        this.identities = new BotIdentities(proposers);
        this.follower = new GroupFollower(store, options, counters, drops, identities, this::track);
        dirty.addAll(store.transaction(tx -> rooms(tx)));
    }

    /** The stored identity of that name, made on the first start with {@code account}'s credential. */
    private SignatureIdentity identity(String name, UserId account) {
        return store.transaction(tx -> {
            Optional<SignatureIdentity> existing = tx.mls().loadSignatureIdentity(name);
            if (existing.isPresent()) {
                return existing.get();
            }
            SignatureIdentity created = SignatureIdentity.generateBasic(options.groupConfig().crypto(),
                    options.suite(), Wire.identity(account));
            tx.mls().saveSignatureIdentity(name, created);
            return created;
        });
    }

    /** Only the public part matters: it tells room creators the bot's signature key and credential. */
    private void publish(Transport on, SignatureIdentity id) throws TransportException {
        KeyPackageBundle fresh = Wire.build(KeyPackageBuilder.forIdentity(id).lastResort(true));
        try {
            on.publishKeyPackages(List.of(), Optional.of(new PublishedKeyPackage(
                    fresh.ref(options.groupConfig().crypto()), MlsMessage.of(fresh.keyPackage()).encode())));
        } finally {
            fresh.destroy();
        }
    }

    public UserId self() {
        return self;
    }

    public Counters counters() {
        return counters;
    }

    /** Refused events, newest last (at most {@value DropLog#KEPT}): room, server id, reason, time; never content. */
    public List<DroppedEvent> droppedEvents() {
        return store.transaction(DropLog::read);
    }

    /**
     * Starts following a room the bot joined after others: takes the room's current members from
     * the transport (later changes come as events). Not needed when the bot was there first.
     */
    public void follow(RoomId room) throws TransportException {
        Set<UserId> now = transport.members(room);
        store.transaction(tx -> {
            List<String> m = list(tx, "members:" + room.value());
            for (UserId u : now) {
                if (!u.equals(self) && !m.contains(u.value())) {
                    m.add(u.value());
                }
            }
            putList(tx, "members:" + room.value(), m);
            track(tx, room);
            return null;
        });
    }

    /** The epoch of the bot's public view of the room's group. */
    public Optional<Long> epoch(RoomId room) {
        return store.transaction(tx -> view(tx, room).map(PublicView::epoch));
    }

    /** Members of the group by the bot's public view. */
    public Set<UserId> groupMembers(RoomId room) {
        return store.transaction(tx -> view(tx, room).map(v -> Set.copyOf(v.users().keySet())).orElse(Set.of()));
    }

    /** Room members that published no KeyPackage: outside the group, not end-to-end encrypted. */
    public Set<UserId> legacyUsers(RoomId room) {
        return store.transaction(tx -> list(tx, "legacy:" + room.value()).stream().map(UserId::new)
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /**
     * One turn: handles up to {@code max} events, proposes what membership needs, sends.
     *
     * @return how many events were handled
     */
    public int step(int max, Duration wait) throws TransportException, InterruptedException {
        Optional<Cursor> cursor = store.transaction(tx -> tx.cursor());
        List<Delivery> batch = transport.poll(cursor, max, wait);
        for (Delivery d : batch) {
            runner.run(d, this::handle);
        }
        reopenStaleSeals();
        retryLegacyUsers();
        for (RoomId room : List.copyOf(dirty)) {
            reconcile(room);
            dirty.remove(room);
        }
        flush();
        return batch.size();
    }

    /**
     * A commit that passed the bot's signature check but that members rejected (a member sending
     * a bad commit) is never followed by a GroupInfo: after a while, treat the epoch as open again.
     */
    private void reopenStaleSeals() {
        long now = System.nanoTime();
        for (RoomId room : store.transaction(tx -> rooms(tx))) {
            boolean sealed = store.transaction(tx -> tx.blob("sealed:" + room.value()).isPresent());
            if (!sealed) {
                sealedAt.remove(room);
                continue;
            }
            long since = sealedAt.computeIfAbsent(room, r -> now);
            if (now - since > SEAL_TIMEOUT.toNanos()) {
                store.transaction(tx -> {
                    // that committer's commits no longer seal this epoch: re-sending a commit the
                    // members reject cannot hold proposals back for ever
                    tx.blob("sealed:" + room.value()).ifPresent(leaf -> BlobLists.add(tx, "sealFailed:" + room.value(),
                            new String(leaf.toByteArray(), java.nio.charset.StandardCharsets.UTF_8)));
                    tx.deleteBlob("sealed:" + room.value());
                    tx.deleteBlob("proposed:" + room.value());
                    return null;
                });
                sealedAt.remove(room);
                dirty.add(room);
                LOG.warn("no GroupInfo followed the commit of the current epoch; proposing again: room={}", room);
            }
        }
    }

    /**
     * A user seen before their client published KeyPackages (a person let in before starting the
     * client) is claimed for again later, with growing pauses and a bounded number of times; a
     * new join event starts the count again.
     */
    private void retryLegacyUsers() {
        long now = System.nanoTime();
        for (RoomId room : store.transaction(tx -> rooms(tx))) {
            boolean any = !store.transaction(tx -> list(tx, "legacy:" + room.value())).isEmpty();
            if (!any) {
                legacyRetries.remove(room);
                continue;
            }
            LegacyRetry r = legacyRetries.computeIfAbsent(room, x -> new LegacyRetry(0,
                    now + LEGACY_FIRST_RETRY.toNanos()));
            if (r.attempts() < LEGACY_RETRIES && now - r.dueNanos() >= 0) {
                long pause = Math.min(LEGACY_MAX_RETRY.toNanos(), LEGACY_FIRST_RETRY.toNanos() << (r.attempts() + 1));
                legacyRetries.put(room, new LegacyRetry(r.attempts() + 1, now + pause));
                dirty.add(room);
            }
        }
    }

    private void handle(ClientStore.Tx tx, RoomEvent event) {
        switch (event) {
            case RoomEvent.MemberJoined j -> {
                if (!j.user().equals(self)) {
                    legacyRetries.remove(j.room());
                    BlobLists.remove(tx, "refused:" + j.room().value(), j.user().value()); // claim again
                    List<String> m = list(tx, "members:" + j.room().value());
                    if (!m.contains(j.user().value())) {
                        m.add(j.user().value());
                        putList(tx, "members:" + j.room().value(), m);
                    }
                }
                track(tx, j.room());
            }
            case RoomEvent.MemberLeft l -> leave(tx, l.room(), l.user());
            case RoomEvent.MemberBanned b -> leave(tx, b.room(), b.user());
            case RoomEvent.RoomMessage m -> follower.onRoomMessage(tx, m);
            case RoomEvent.PlainMessage p -> {
                // a chat client without MLS: nothing for an external sender (it gateways nobody)
            }
            case RoomEvent.WelcomeReceived w -> // nobody should welcome the bot here
                drops.drop(tx, w.room(), Optional.of(w.serverId().value()), DropReason.UNEXPECTED, "Welcome to the bot");
        }
    }

    private void leave(ClientStore.Tx tx, RoomId room, UserId user) {
        List<String> m = list(tx, "members:" + room.value());
        m.remove(user.value());
        putList(tx, "members:" + room.value(), m);
        List<String> legacy = list(tx, "legacy:" + room.value());
        if (legacy.remove(user.value())) {
            putList(tx, "legacy:" + room.value(), legacy);
        }
        tx.deleteBlob("kp:" + room.value() + ":" + user.value());
        track(tx, room);
    }

    private void track(ClientStore.Tx tx, RoomId room) {
        List<String> rooms = list(tx, "rooms");
        if (!rooms.contains(room.value())) {
            rooms.add(room.value());
            putList(tx, "rooms", rooms);
        }
        dirty.add(room);
    }

    /** Proposes Adds for newcomers and Removes for leavers that the current epoch still lacks. */
    private void reconcile(RoomId room) throws TransportException {
        record Need(List<UserId> add, List<UserId> remove) {
        }
        Need need = store.transaction(tx -> {
            Optional<PublicView> v = view(tx, room);
            if (v.isEmpty() || tx.blob("sealed:" + room.value()).isPresent()) {
                return new Need(List.of(), List.of());
            }
            Set<String> proposed = Set.copyOf(list(tx, "proposed:" + room.value()));
            List<String> members = list(tx, "members:" + room.value());
            List<UserId> add = new ArrayList<>();
            List<String> refused = list(tx, "refused:" + room.value());
            for (String u : members) {
                UserId user = new UserId(u);
                if (!v.get().users().containsKey(user) && !proposed.contains("+" + u) && !refused.contains(u)) {
                    add.add(user);
                }
            }
            List<UserId> remove = new ArrayList<>();
            for (UserId u : v.get().users().keySet()) {
                if (!members.contains(u.value()) && !u.equals(self) && !proposed.contains("-" + u.value())) {
                    remove.add(u);
                }
            }
            return new Need(add, remove);
        });
        if (need.add().isEmpty() && need.remove().isEmpty()) {
            return;
        }
        Map<UserId, List<Bytes>> claimed = new HashMap<>();
        for (UserId u : need.add()) {
            List<Bytes> kept = store.transaction(tx -> keptKeyPackages(tx, room, u));
            claimed.put(u, kept.isEmpty() ? transport.claimKeyPackages(u) : kept); // one per MLS client
        }
        store.transaction(tx -> {
            PublicView v = view(tx, room).orElseThrow();
            List<String> proposed = list(tx, "proposed:" + room.value());
            List<String> legacy = list(tx, "legacy:" + room.value());
            int adds = 0;
            for (UserId u : need.add()) {
                List<KeyPackage> kps = new ArrayList<>();
                List<Bytes> kpBytes = new ArrayList<>();
                int refusedKps = 0;
                for (Bytes b : claimed.get(u)) {
                    Optional<KeyPackage> kp = keyPackage(b);
                    if (kp.isEmpty()) {
                        continue;
                    }
                    try {
                        options.authentication().checkClaimed(u, kp.get());
                        kps.add(kp.get());
                        kpBytes.add(b);
                    } catch (Refusal e) {
                        counters.count(DropReason.KEY_PACKAGE_IDENTITY);
                        refusedKps++;
                        LOG.warn("refused KeyPackage: room={} user={} reason={}", room, u, e.getMessage());
                    }
                }
                if (refusedKps > 0) {
                    // the directory handed out someone else's KeyPackage: add nobody in u's name
                    BlobLists.add(tx, "refused:" + room.value(), u.value());
                    continue;
                }
                if (kps.isEmpty()) {
                    if (!legacy.contains(u.value())) {
                        legacy.add(u.value());
                        LOG.info("legacy user (no KeyPackage, not end-to-end encrypted): room={} user={}", room, u);
                    }
                    continue;
                }
                legacy.remove(u.value());
                keepKeyPackages(tx, room, u, kpBytes);
                boolean any = false;
                for (KeyPackage kp : kps) { // every MLS client of the account, a leaf each
                    if (propose(tx, room, v, new Proposal.Add(kp))) {
                        any = true;
                        adds++;
                    }
                }
                if (any) {
                    proposed.add("+" + u.value());
                }
            }
            for (UserId u : need.remove()) {
                boolean all = true;
                for (LeafIndex leaf : v.users().get(u)) { // every device of the account
                    all &= propose(tx, room, v, new Proposal.Remove(leaf));
                }
                if (all) {
                    proposed.add("-" + u.value());
                }
            }
            putList(tx, "proposed:" + room.value(), proposed);
            putList(tx, "legacy:" + room.value(), legacy);
            LOG.info("proposals sent: room={} epoch={} members={} adds={} removes={}", room, v.epoch(),
                    v.users().size(), adds, need.remove().size());
            return null;
        });
    }

    private boolean propose(ClientStore.Tx tx, RoomId room, PublicView v, Proposal p) {
        try {
            Optional<ExternalProposer> proposer = identities.listedIn(v.anchor().groupContext());
            if (proposer.isEmpty()) { // a view is adopted only when it lists us: not reached
                LOG.warn("cannot propose: room={} reason=the bot is not an external sender of the group", room);
                return false;
            }
            MlsMessage m = proposer.get().propose(v.anchor().groupContext(), p);
            tx.enqueue(Outgoing.toRoom(room, m.encode()));
            counters.messageOut();
            return true;
        } catch (MlsException e) {
            LOG.warn("cannot propose: room={} reason={}", room, e.getMessage());
            return false;
        }
    }

    /**
     * The KeyPackages claimed for {@code user}'s Adds, kept until the user is in the group so that
     * an Add proposed again (a new epoch came first) needs no second claim.
     */
    private static List<Bytes> keptKeyPackages(ClientStore.Tx tx, RoomId room, UserId user) {
        List<Bytes> out = new ArrayList<>();
        for (String line : BlobLists.get(tx, "kp:" + room.value() + ":" + user.value())) {
            try {
                out.add(Bytes.wrap(Base64.getDecoder().decode(line)));
            } catch (IllegalArgumentException unreadable) {
                return List.of(); // not this format (an older one): claim again
            }
        }
        return out;
    }

    private static void keepKeyPackages(ClientStore.Tx tx, RoomId room, UserId user, List<Bytes> kps) {
        BlobLists.put(tx, "kp:" + room.value() + ":" + user.value(),
                kps.stream().map(b -> Base64.getEncoder().encodeToString(b.toByteArray())).toList());
    }

    private static Optional<KeyPackage> keyPackage(Bytes b) {
        try {
            return MlsMessage.decode(b).body() instanceof KeyPackage k ? Optional.of(k) : Optional.empty();
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    private void flush() throws TransportException {
        OutboxSender.flush(transport, store);
    }

    private Optional<PublicView> view(ClientStore.Tx tx, RoomId room) {
        return follower.view(tx, room);
    }

    // ---- small list blobs ------------------------------------------------------------------------

    private static List<RoomId> rooms(ClientStore.Tx tx) {
        return list(tx, "rooms").stream().map(RoomId::new).toList();
    }

    private static List<String> list(ClientStore.Tx tx, String key) {
        return BlobLists.get(tx, key);
    }

    private static void putList(ClientStore.Tx tx, String key, List<String> values) {
        BlobLists.put(tx, key, values);
    }

    @Override
    public void close() {
        transport.close();
        store.close();
    }
}
