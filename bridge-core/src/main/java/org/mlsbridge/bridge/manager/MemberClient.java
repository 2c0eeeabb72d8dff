package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.security.SecureRandom;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.JoinKeys;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.OwnMessage;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.group.ProposalReceived;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.tree.LeafIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLS side of one chat client: what an MLS-capable client embeds, and what a member-mode bot
 * runs. One instance per user; one MLS group per room. Not thread-safe: drive it from one thread
 * (its loop calls {@link #step}); other threads may call {@link #send} only through that loop.
 *
 * <p>Every event from the transport is handled in one store transaction together with the
 * cursor after it, and whatever it makes us send goes into the outbox in that transaction and
 * out after it (with the outbox id as idempotency key). A crash anywhere therefore replays the
 * event from the old state or not at all, and never re-delivers a message to the application.
 */
public final class MemberClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberClient.class);
    private static final String IDENTITY = "self";
    private static final String OWN = "own";
    private static final String SEEN = "seen";
    private static final int MAX_BUFFER = 2_000;
    private static final Bytes MARK = Bytes.of(new byte[] {1});

    private final UserId self;
    private final Transport transport;
    private final ClientStore store;
    private final ClientOptions options;
    private final Counters counters = new Counters();
    private final DropLog drops = new DropLog(counters, java.time.Clock.systemUTC());
    private final EventRunner runner;
    private final Random random = new SecureRandom();
    private final SignatureIdentity identity;
    private final KeyPackagePool keyPackages;
    private final Map<RoomId, MlsGroup> groups = new HashMap<>();
    private final Map<RoomId, Long> commitDue = new HashMap<>();
    /** Epoch in which committing the cached proposals failed: not retried until the epoch changes. */
    private final Map<RoomId, Long> commitFailed = new HashMap<>();
    /** When we last tried to re-join each room by external commit. */
    private final Map<RoomId, Long> rejoinSince = new HashMap<>();
    private static final Duration REJOIN_TIMEOUT = Duration.ofSeconds(30);
    private boolean caughtUp;
    private Hooks hooks = new Hooks() {
    };

    /** What a member-mode bot adds to a member: it hears about others' membership and plaintext. */
    interface Hooks {
        default void memberJoined(ClientStore.Tx tx, RoomId room, UserId user) {
        }

        default void memberGone(ClientStore.Tx tx, RoomId room, UserId user) {
        }

        /** A room message that is not MLS; true if handled (a legacy user's plaintext). */
        default boolean plaintext(ClientStore.Tx tx, RoomId room, UserId sender, Bytes payload) {
            return false;
        }
    }

    /** Opens the client: loads or creates its signature identity, then publishes KeyPackages. */
    public MemberClient(Transport transport, ClientStore store, ClientOptions options) throws TransportException {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.self = transport.self();
        this.runner = new EventRunner(store, drops, groups::clear);
        this.identity = store.transaction(tx -> {
            Optional<SignatureIdentity> existing = tx.mls().loadSignatureIdentity(IDENTITY);
            if (existing.isPresent()) {
                return existing.get();
            }
            SignatureIdentity created = SignatureIdentity.generateBasic(options.groupConfig().crypto(),
                    options.suite(), Wire.identity(self));
            tx.mls().saveSignatureIdentity(IDENTITY, created);
            return created;
        });
        this.keyPackages = new KeyPackagePool(identity, transport, store, options);
        keyPackages.maintain();
        flush();
    }

    public UserId self() {
        return self;
    }

    public Counters counters() {
        return counters;
    }

    /** This client's entry for a group's external_senders (used when it is the bot in member mode). */
    SignatureIdentity identity() {
        return identity;
    }

    // ---- what the application does ------------------------------------------------------------

    /**
     * Creates the room's group with this client as its only member, posts its GroupInfo to the
     * room, and lists {@code externalSenders} (e.g. the room's bot) in external_senders.
     */
    public void createGroup(RoomId room, List<ExternalSender> externalSenders)
            throws MlsException, TransportException {
        store.transaction(tx -> {
            if (tx.blob(groupKey(room)).isPresent()) {
                throw new IllegalStateException(self + " already has a group for " + room);
            }
            List<Extension> ext = externalSenders.isEmpty() ? List.of()
                    : List.of(ExternalSender.toExtension(externalSenders));
            MlsGroup g = MlsGroup.create(identity, ext, options.groupConfig(), PskLookup.fromStorage(tx.mls()));
            save(tx, room, g);
            markJoined(tx, room, g.epoch());
            tx.putBlob(inRoomKey(room), MARK);
            enqueueRoom(tx, room, MlsMessage.of(g.groupInfo(true, true)).encode());
            groups.put(room, g);
            LOG.info("group created: room={} epoch={} members=1 externalSenders={}", room, g.epoch(),
                    externalSenders.size());
            return null;
        });
        flush();
    }

    /** The bot's external_senders entry, read from its published last_resort KeyPackage. */
    public ExternalSender externalSenderOf(UserId bot) throws TransportException, MlsException {
        Bytes kp = transport.claimKeyPackage(bot).orElseThrow(
                () -> new IllegalStateException(bot + " published no KeyPackage"));
        MlsMessage m = MlsMessage.decode(kp);
        if (!(m.body() instanceof KeyPackage k)) {
            throw new DecodeException("the bot's KeyPackage is not a KeyPackage");
        }
        return new ExternalSender(k.leafNode().signatureKey(), k.leafNode().credential());
    }

    /**
     * Encrypts {@code text} for the room's group and queues it, after handling every event that
     * has already arrived (so it goes out in the newest epoch we can know of); empty if this
     * client is not (yet) in the room's group.
     */
    public Optional<SentMessage> send(RoomId room, Bytes text)
            throws MlsException, TransportException, InterruptedException {
        List<Delivery> pendingEvents;
        do {
            Optional<Cursor> cursor = store.transaction(tx -> tx.cursor());
            pendingEvents = transport.poll(cursor, 200, Duration.ZERO);
            for (Delivery d : pendingEvents) {
                handle(d);
            }
        } while (!pendingEvents.isEmpty());
        Optional<SentMessage> queued = store.transaction(tx -> {
            MlsGroup g = group(tx, room).orElse(null);
            if (g == null) {
                return Optional.<SentMessage>empty();
            }
            MlsMessage m = g.encrypt(text, Bytes.EMPTY); // saved by the group in this transaction
            enqueueRoom(tx, room, m.encode());
            counters.messageOut();
            List<UserId> members = new ArrayList<>();
            g.state().tree().forEachLeaf((i, leaf) -> Wire.user(leaf.credential()).ifPresent(members::add));
            return Optional.of(new SentMessage(g.epoch(), members));
        });
        flush();
        return queued;
    }

    /** Asks for a commit in the room even with nothing pending (fresh keys); retried if it loses. */
    public void requestCommit(RoomId room) {
        store.transaction(tx -> {
            tx.putBlob(wantKey(room), MARK);
            return null;
        });
        commitDue.put(room, System.nanoTime());
    }

    /** Decrypted messages not yet acknowledged, oldest first. */
    public List<ReceivedMessage> received() {
        return store.transaction(tx -> tx.received(Integer.MAX_VALUE));
    }

    public void acknowledge(ReceivedMessage message) {
        store.transaction(tx -> {
            tx.acknowledge(message);
            return null;
        });
    }

    /** The room's epoch, if this client is in its group. */
    public Optional<Long> epoch(RoomId room) {
        return store.transaction(tx -> group(tx, room).map(MlsGroup::epoch));
    }

    public Optional<Bytes> epochAuthenticator(RoomId room) {
        return store.transaction(tx -> group(tx, room).map(MlsGroup::epochAuthenticator));
    }

    /** Members of the room's group as this client sees them. */
    public List<UserId> groupMembers(RoomId room) {
        return store.transaction(tx -> {
            List<UserId> out = new ArrayList<>();
            group(tx, room).ifPresent(g -> g.state().tree().forEachLeaf(
                    (i, leaf) -> Wire.user(leaf.credential()).ifPresent(out::add)));
            return out;
        });
    }

    // ---- for the member-mode bot -------------------------------------------------------------

    void setHooks(Hooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    ClientStore store() {
        return store;
    }

    Transport transport() {
        return transport;
    }

    /** Whether we are in the room's group with no own commit in flight. */
    boolean canCommit(ClientStore.Tx tx, RoomId room) {
        return group(tx, room).isPresent() && pending(tx, room).isEmpty();
    }

    /**
     * Commits Adds and Removes by value (and any cached proposals), as a member-mode bot does; like
     * every own commit it takes effect only if it comes back first in room order, and is simply
     * re-derived by the caller on the next epoch if it lost.
     */
    void commitMembership(ClientStore.Tx tx, RoomId room, List<org.mlsbridge.mls.message.Proposal> proposals) {
        Optional<MlsGroup> maybe = group(tx, room);
        if (maybe.isEmpty() || pending(tx, room).isPresent() || proposals.isEmpty()) {
            return;
        }
        commit(tx, room, maybe.get(), CommitOptions.allCachedProposals().withValues(proposals), false);
    }

    /** The leaf of {@code user} in our view of the room's group. */
    Optional<LeafIndex> leafOf(ClientStore.Tx tx, RoomId room, UserId user) {
        return group(tx, room).flatMap(g -> g.state().tree().findLeaf(
                l -> Wire.user(l.credential()).map(user::equals).orElse(false)));
    }

    /** Relays a legacy user's plaintext into the group, signed by us and marked not end-to-end encrypted. */
    void relayPlaintext(ClientStore.Tx tx, RoomId room, UserId legacyUser, Bytes text) {
        Optional<MlsGroup> g = group(tx, room);
        if (g.isEmpty()) {
            return;
        }
        try {
            MlsMessage m = g.get().encrypt(text, LegacyMarker.of(legacyUser));
            enqueueRoom(tx, room, m.encode());
            counters.messageOut();
        } catch (MlsException e) {
            LOG.warn("cannot relay legacy message: room={} reason={}", room, e.getMessage());
        }
    }

    // ---- the loop -------------------------------------------------------------------------------

    /**
     * One turn: handles up to {@code max} events (waiting up to {@code wait} for the first), sends
     * the outbox, runs due commits and re-joins, and tops up KeyPackages.
     *
     * @return how many events were handled
     */
    public int step(int max, Duration wait) throws TransportException, InterruptedException {
        Optional<Cursor> cursor = store.transaction(tx -> tx.cursor());
        List<Delivery> batch;
        try {
            batch = transport.poll(cursor, max, wait);
        } catch (TransportException e) {
            if (e.retryable() || cursor.isEmpty()) {
                throw e;
            }
            // The transport no longer knows our cursor (history expired): start over from what it
            // keeps. Seen marks skip what we already handled; if we missed commits, the first
            // message of a later epoch puts us out of sync and we re-join by external commit.
            LOG.warn("cursor refused, restarting the stream: user={} reason={}", self, e.getMessage());
            store.transaction(tx -> {
                tx.resetCursor();
                return null;
            });
            return 0;
        }
        for (Delivery d : batch) {
            handle(d);
        }
        caughtUp = batch.isEmpty();
        flush();
        runTimers();
        flush();
        return batch.size();
    }

    /** Steps until nothing arrives for {@code quiet}. */
    public void drain(Duration quiet) throws TransportException, InterruptedException {
        while (step(200, quiet) > 0 || hasDueWork()) {
            // keep going
        }
    }

    /** Whether a commit or re-join is scheduled. */
    public boolean hasDueWork() {
        return !commitDue.isEmpty();
    }

    private void handle(Delivery d) throws InterruptedException {
        runner.run(d, this::handleEvent);
    }

    /** Refused events, newest last (at most {@value DropLog#KEPT}): room, server id, reason, time; never content. */
    public List<DroppedEvent> droppedEvents() {
        return store.transaction(DropLog::read);
    }

    private void handleEvent(ClientStore.Tx tx, RoomEvent event) {
        switch (event) {
            case RoomEvent.RoomMessage m -> {
                if (!tx.mark(SEEN, m.room() + "/" + m.serverId())) {
                    drops.drop(tx, m.room(), Optional.of(m.serverId().value()), DropReason.REPLAY, "seen before");
                    return;
                }
                onRoomMessage(tx, m, false);
            }
            case RoomEvent.MemberJoined j -> {
                if (j.user().equals(self)) {
                    tx.putBlob(inRoomKey(j.room()), MARK);
                } else {
                    hooks.memberJoined(tx, j.room(), j.user());
                }
            }
            case RoomEvent.MemberLeft l -> {
                if (l.user().equals(self)) {
                    forgetRoom(tx, l.room(), "left the room");
                } else {
                    hooks.memberGone(tx, l.room(), l.user());
                }
            }
            case RoomEvent.MemberBanned b -> {
                if (b.user().equals(self)) {
                    forgetRoom(tx, b.room(), "banned from the room");
                } else {
                    hooks.memberGone(tx, b.room(), b.user());
                }
            }
            case RoomEvent.WelcomeReceived w -> onWelcome(tx, w);
        }
    }

    private void onRoomMessage(ClientStore.Tx tx, RoomEvent.RoomMessage m, boolean replay) {
        RoomId room = m.room();
        Optional<String> id = Optional.of(m.serverId().value());
        String digest = Wire.digest(m.payload());
        if (m.sender().equals(self) && tx.marked(OWN, digest)) {
            onOwnEcho(tx, room, digest);
            return;
        }
        MlsMessage msg;
        try {
            msg = MlsMessage.decode(m.payload());
        } catch (DecodeException e) {
            if (hooks.plaintext(tx, room, m.sender(), m.payload())) {
                return;
            }
            drops.drop(tx, room, id, DropReason.UNDECODABLE, e.getMessage());
            return;
        }
        if (msg.body() instanceof GroupInfo gi) {
            onGroupInfo(tx, room, gi, m.payload());
            return;
        }
        Optional<Wire.Header> header = Wire.header(msg);
        if (header.isEmpty()) {
            drops.drop(tx, room, id, DropReason.UNEXPECTED, msg.wireFormat().toString());
            return;
        }
        Optional<MlsGroup> maybe = group(tx, room);
        if (maybe.isEmpty()) {
            Optional<Blobs.PendingCommit> rejoining = pending(tx, room);
            if (rejoining.isPresent() && header.get().type() == ContentType.COMMIT
                    && Long.compareUnsigned(header.get().epoch(), rejoining.get().epoch()) >= 0) {
                tx.deleteBlob(pendingKey(room)); // another commit took the epoch our external commit needed
                LOG.info("external commit lost: room={} epoch={}", room, rejoining.get().epoch());
            }
            if (tx.blob(inRoomKey(room)).isPresent() && !replay) {
                buffer(tx, m);
            }
            return;
        }
        MlsGroup g = maybe.get();
        Wire.Header h = header.get();
        if (!h.groupId().equals(g.groupId())) {
            drops.drop(tx, room, id, DropReason.WRONG_GROUP, "another group");
            return;
        }
        if (Long.compareUnsigned(h.epoch(), g.epoch()) > 0) {
            // Something moved the group on without us: we can no longer follow it.
            LOG.warn("out of sync: room={} epoch={} messageEpoch={}; will re-join", room, g.epoch(), h.epoch());
            dropGroup(tx, room);
            buffer(tx, m);
            return;
        }
        if (Long.compareUnsigned(h.epoch(), g.epoch()) < 0) {
            if (h.type() == ContentType.COMMIT) {
                counters.discardedCommit(); // lost its epoch to an earlier commit
                return;
            }
            if (h.type() == ContentType.PROPOSAL) {
                // proposals die with their epoch; the proposer sends them again
                drops.drop(tx, room, id, DropReason.STALE_PROPOSAL, "epoch " + h.epoch());
                return;
            }
            Optional<Bytes> joined = tx.blob(joinedKey(room));
            if (joined.isPresent() && Long.compareUnsigned(h.epoch(), Long.parseLong(
                    new String(joined.get().toByteArray(), java.nio.charset.StandardCharsets.UTF_8))) < 0) {
                // sent before we were a member: not meant for us
                drops.drop(tx, room, id, DropReason.BEFORE_JOIN, "epoch " + h.epoch());
                return;
            }
        }
        ProcessedMessage result;
        try {
            result = g.process(msg);
        } catch (MlsException e) {
            String why = "epoch " + g.epoch() + " sender " + m.sender() + ": " + e.getMessage();
            if (h.type() == ContentType.COMMIT) {
                drops.dropCommit(tx, room, id, DropReason.INVALID_COMMIT, why);
            } else if (h.type() == ContentType.APPLICATION) {
                drops.drop(tx, room, id, DropReason.UNDECRYPTABLE, why);
            } else {
                drops.drop(tx, room, id, DropReason.INVALID_PROPOSAL, why);
            }
            return;
        }
        switch (result) {
            case ApplicationMessage a -> {
                Optional<UserId> author = Wire.user(a.credential());
                if (author.isEmpty()) {
                    drops.drop(tx, room, id, DropReason.INVALID_IDENTITY, "sender leaf " + a.sender());
                    save(tx, room, g);
                    return;
                }
                UserId sender = author.get();
                boolean e2ee = true;
                if (LegacyMarker.isMarked(a.authenticatedData())) {
                    Optional<UserId> legacy = LegacyMarker.honoured(a, g.state());
                    if (legacy.isEmpty()) {
                        drops.drop(tx, room, id, DropReason.FORGED_LEGACY_MARKER, "sender " + sender);
                        save(tx, room, g); // the key is used up either way
                        return;
                    }
                    sender = legacy.get();
                    e2ee = false;
                }
                tx.deliver(new ReceivedMessage(m.serverId().value(), room, sender, a.data(), e2ee));
                counters.messageIn();
            }
            case ProposalReceived p -> {
                if (!commitDue.containsKey(room)) {
                    long delay = (long) (random.nextDouble() * options.maxCommitDelay().toNanos());
                    commitDue.put(room, System.nanoTime() + delay);
                }
            }
            case StagedCommit s -> onCommit(tx, room, g, s);
            case OwnMessage o -> {
                // our own message echoed before our marks were written: nothing to do
            }
        }
    }

    private void onCommit(ClientStore.Tx tx, RoomId room, MlsGroup g, StagedCommit s) {
        Optional<Blobs.PendingCommit> mine = pending(tx, room);
        if (mine.isPresent()) {
            // Someone else's commit won this epoch: ours is void; retry on the new epoch if asked for.
            g.clearPendingCommit();
            tx.deleteBlob(pendingKey(room));
            counters.discardedCommit();
            if (mine.get().explicit()) {
                tx.putBlob(wantKey(room), MARK);
                commitDue.put(room, System.nanoTime());
            }
            LOG.info("own commit lost: room={} epoch={}", room, g.epoch());
        }
        long from = g.epoch();
        g.merge(s);
        commitDue.remove(room);
        if (!g.isActive()) {
            LOG.info("removed from group: room={} epoch={}", room, from);
            dropGroup(tx, room);
            tx.deleteBlob(inRoomKey(room));
            return;
        }
        counters.epochChange();
        LOG.info("epoch change: room={} epoch={}->{} members={} added={} removed={}", room, from, g.epoch(),
                g.state().tree().memberCount(), s.addedMembers().size(), s.removedMembers().size());
        if (!g.state().proposals().isEmpty()) {
            scheduleCommit(room);
        }
    }

    private void onOwnEcho(ClientStore.Tx tx, RoomId room, String digest) {
        Optional<Blobs.PendingCommit> p = pending(tx, room);
        if (p.isEmpty() || !p.get().digest().equals(digest)) {
            return; // our application message, proposal or GroupInfo
        }
        Blobs.PendingCommit pc = p.get();
        Optional<MlsGroup> current = group(tx, room);
        boolean joining = current.isEmpty();
        if (!joining && current.get().epoch() != pc.epoch()) {
            tx.deleteBlob(pendingKey(room));
            return; // lost earlier; already handled
        }
        MlsGroup next;
        try {
            next = MlsGroup.resume(GroupStateCodec.decode(pc.nextState().toByteArray(), options.groupConfig()),
                    options.groupConfig(), PskLookup.fromStorage(tx.mls()));
        } catch (DecodeException e) {
            throw new IllegalStateException("stored pending commit is unreadable", e);
        }
        tx.deleteBlob(pendingKey(room));
        tx.deleteBlob(wantKey(room));
        tx.deleteBlob(bufferKey(room));
        groups.put(room, next);
        save(tx, room, next);
        if (!pc.welcome().isEmpty()) {
            for (UserId u : pc.added()) {
                tx.enqueue(Outgoing.welcome(room, u, pc.welcome()));
            }
        }
        enqueueRoom(tx, room, pc.groupInfo());
        commitDue.remove(room);
        counters.epochChange();
        if (joining) {
            counters.rejoin();
            markJoined(tx, room, next.epoch());
        }
        LOG.info("own commit won: room={} epoch={}->{} members={} welcomed={}", room, pc.epoch(), next.epoch(),
                next.state().tree().memberCount(), pc.added().size());
    }

    private void onGroupInfo(ClientStore.Tx tx, RoomId room, GroupInfo gi, Bytes raw) {
        Optional<Bytes> stored = tx.blob(groupInfoKey(room));
        if (stored.isPresent()) {
            try {
                GroupInfo old = (GroupInfo) MlsMessage.decode(stored.get()).body();
                if (Long.compareUnsigned(gi.groupContext().epoch(), old.groupContext().epoch()) <= 0) {
                    return;
                }
            } catch (DecodeException | ClassCastException e) {
                // replace an unreadable one
            }
        }
        tx.putBlob(groupInfoKey(room), raw);
        remember(tx, room);
    }

    private void onWelcome(ClientStore.Tx tx, RoomEvent.WelcomeReceived w) {
        RoomId room = w.room();
        Optional<String> id = Optional.of(w.serverId().value());
        if (group(tx, room).isPresent()) {
            // already in (a Welcome for an epoch we left behind, or a duplicate)
            drops.drop(tx, room, id, DropReason.INVALID_WELCOME, "already in the room's group");
            return;
        }
        Welcome welcome;
        try {
            MlsMessage m = MlsMessage.decode(w.welcome());
            if (!(m.body() instanceof Welcome wb)) {
                throw new DecodeException("not a Welcome");
            }
            welcome = wb;
        } catch (DecodeException e) {
            drops.drop(tx, room, id, DropReason.INVALID_WELCOME, e.getMessage());
            return;
        }
        MlsStorage mls = tx.mls();
        Optional<Bytes> ref = Optional.empty();
        Optional<KeyPackageBundle> bundle = Optional.empty();
        for (EncryptedGroupSecrets s : welcome.secrets()) {
            bundle = mls.loadKeyPackage(s.newMember());
            if (bundle.isPresent()) {
                ref = Optional.of(s.newMember());
                break;
            }
        }
        if (bundle.isEmpty()) {
            drops.drop(tx, room, id, DropReason.INVALID_WELCOME, "none of our KeyPackages");
            return;
        }
        MlsGroup g;
        try {
            g = MlsGroup.join(welcome, JoinKeys.of(bundle.get(), identity), options.groupConfig(),
                    PskLookup.fromStorage(mls));
        } catch (MlsException e) {
            drops.drop(tx, room, id, DropReason.INVALID_WELCOME, e.getMessage());
            return;
        }
        mls.consumeKeyPackage(ref.get());
        tx.putBlob(inRoomKey(room), MARK);
        if (!bundle.get().isLastResort()) {
            KeyPackagePool.markUsed(tx, ref.get());
        }
        groups.put(room, g);
        save(tx, room, g);
        markJoined(tx, room, g.epoch());
        counters.epochChange();
        LOG.info("joined from Welcome: room={} epoch={} members={}", room, g.epoch(),
                g.state().tree().memberCount());
        replayBuffer(tx, room);
    }

    private void replayBuffer(ClientStore.Tx tx, RoomId room) {
        Optional<Bytes> raw = tx.blob(bufferKey(room));
        tx.deleteBlob(bufferKey(room));
        if (raw.isEmpty()) {
            return;
        }
        List<RoomEvent.RoomMessage> kept;
        try {
            kept = Blobs.decodeBuffer(raw.get());
        } catch (DecodeException e) {
            throw new IllegalStateException("stored buffer is unreadable", e);
        }
        for (RoomEvent.RoomMessage m : kept) {
            Optional<MlsGroup> g = group(tx, room);
            if (g.isEmpty()) {
                buffer(tx, m); // fell out again: keep the rest for the next join
                continue;
            }
            try {
                MlsMessage msg = MlsMessage.decode(m.payload());
                Optional<Wire.Header> h = Wire.header(msg);
                if (h.isPresent() && Long.compareUnsigned(h.get().epoch(), g.get().epoch()) < 0) {
                    continue; // from before we joined
                }
            } catch (DecodeException e) {
                continue;
            }
            onRoomMessage(tx, m, true);
        }
    }

    private void buffer(ClientStore.Tx tx, RoomEvent.RoomMessage m) {
        List<RoomEvent.RoomMessage> kept = new ArrayList<>();
        Optional<Bytes> raw = tx.blob(bufferKey(m.room()));
        if (raw.isPresent()) {
            try {
                kept.addAll(Blobs.decodeBuffer(raw.get()));
            } catch (DecodeException e) {
                throw new IllegalStateException("stored buffer is unreadable", e);
            }
        }
        kept.add(m);
        if (kept.size() > MAX_BUFFER) {
            kept = new ArrayList<>(kept.subList(kept.size() - MAX_BUFFER, kept.size()));
        }
        tx.putBlob(bufferKey(m.room()), Blobs.encodeBuffer(kept));
    }

    // ---- commits and re-joins -----------------------------------------------------------------

    private void scheduleCommit(RoomId room) {
        long delay = (long) (random.nextDouble() * options.maxCommitDelay().toNanos());
        commitDue.putIfAbsent(room, System.nanoTime() + delay);
    }

    private void runTimers() {
        long now = System.nanoTime();
        for (RoomId room : List.copyOf(commitDue.keySet())) {
            Long due = commitDue.get(room);
            if (due != null && due - now <= 0) {
                commitDue.remove(room);
                try {
                    store.transaction(tx -> {
                        commitIfNeeded(tx, room);
                        return null;
                    });
                } catch (RuntimeException e) {
                    groups.clear();
                    throw e;
                }
            }
        }
        if (caughtUp) {
            rejoinWhereNeeded();
        }
    }

    private void commitIfNeeded(ClientStore.Tx tx, RoomId room) {
        Optional<MlsGroup> maybe = group(tx, room);
        if (maybe.isEmpty() || pending(tx, room).isPresent()) {
            return;
        }
        MlsGroup g = maybe.get();
        boolean explicit = tx.blob(wantKey(room)).isPresent();
        if (g.state().proposals().isEmpty() && !explicit) {
            return;
        }
        commit(tx, room, g, CommitOptions.allCachedProposals(), explicit);
    }

    private void commit(ClientStore.Tx tx, RoomId room, MlsGroup g, CommitOptions options, boolean explicit) {
        CommitOutput out;
        try {
            out = g.commit(options);
        } catch (MlsException e) {
            commitFailed.put(room, g.epoch());
            LOG.warn("cannot commit: room={} epoch={} reason={}", room, g.epoch(), e.getMessage());
            return;
        }
        Bytes bytes = out.commit().encode();
        List<UserId> added = new ArrayList<>();
        var next = out.pending().next().orElseThrow();
        for (LeafIndex i : out.pending().addedMembers()) {
            next.tree().leaf(i).flatMap(l -> Wire.user(l.credential())).ifPresent(added::add);
        }
        Blobs.PendingCommit pc = new Blobs.PendingCommit(g.epoch(), Wire.digest(bytes),
                Bytes.wrap(GroupStateCodec.encode(next)),
                out.welcomeMessage().map(MlsMessage::encode).orElse(Bytes.EMPTY), out.groupInfo().toMessage().encode(),
                added, explicit);
        tx.putBlob(pendingKey(room), pc.encode());
        enqueueRoom(tx, room, bytes);
        LOG.info("commit sent: room={} epoch={} proposals={} adds={} removes={}", room, g.epoch(),
                out.pending().proposals().size(), added.size(), out.pending().removedMembers().size());
    }

    /**
     * Re-joins by external commit every room where we are a member of the room and, by the latest
     * GroupInfo, still of the group, but hold no group state (lost, or out of sync).
     */
    private void rejoinWhereNeeded() {
        long now = System.nanoTime();
        List<RoomId> candidates = store.transaction(tx -> {
            List<RoomId> out = new ArrayList<>();
            for (RoomId room : roomsWithGroupInfo(tx)) {
                if (tx.blob(inRoomKey(room)).isEmpty() || group(tx, room).isPresent()) {
                    rejoinSince.remove(room);
                    continue;
                }
                if (pending(tx, room).isPresent()) {
                    // An external commit that never came back in order (e.g. built on a bogus or
                    // outdated GroupInfo for a group nobody follows): give up on it after a while.
                    long since = rejoinSince.computeIfAbsent(room, r -> now);
                    if (now - since < REJOIN_TIMEOUT.toNanos()) {
                        continue;
                    }
                    tx.deleteBlob(pendingKey(room));
                    LOG.warn("external commit never ordered; retrying: room={}", room);
                }
                rejoinSince.put(room, now);
                out.add(room);
            }
            return out;
        });
        for (RoomId room : candidates) {
            store.transaction(tx -> {
                rejoin(tx, room);
                return null;
            });
        }
        // After a restart nothing in memory says a commit is due: look at what the state holds.
        List<RoomId> unfinished = store.transaction(tx -> {
            List<RoomId> out = new ArrayList<>();
            for (RoomId room : roomsWithGroupInfo(tx)) {
                if (commitDue.containsKey(room) || pending(tx, room).isPresent()) {
                    continue;
                }
                Optional<MlsGroup> g = group(tx, room);
                if (g.isPresent() && commitFailed.getOrDefault(room, -1L) == g.get().epoch()) {
                    continue;
                }
                if (g.isPresent() && (!g.get().state().proposals().isEmpty() || tx.blob(wantKey(room)).isPresent())) {
                    out.add(room);
                }
            }
            return out;
        });
        unfinished.forEach(this::scheduleCommit);
    }

    private List<RoomId> roomsWithGroupInfo(ClientStore.Tx tx) {
        return BlobLists.get(tx, "rooms").stream().map(RoomId::new).toList();
    }

    private void rejoin(ClientStore.Tx tx, RoomId room) {
        Optional<Bytes> raw = tx.blob(groupInfoKey(room));
        if (raw.isEmpty()) {
            return;
        }
        GroupInfo gi;
        try {
            gi = (GroupInfo) MlsMessage.decode(raw.get()).body();
        } catch (DecodeException | ClassCastException e) {
            tx.deleteBlob(groupInfoKey(room));
            return;
        }
        Optional<LeafIndex> oldLeaf = ExternalRejoin.ownLeaf(gi, self, options.groupConfig());
        if (oldLeaf.isEmpty()) {
            return; // not a member by the group's account: the bot will add us with a Welcome
        }
        Optional<Bytes> leafKey = ExternalRejoin.leafKey(gi, oldLeaf.get(), options.groupConfig());
        for (Bytes ref : tx.mls().keyPackageRefs()) {
            Optional<KeyPackageBundle> b = tx.mls().loadKeyPackage(ref);
            if (b.isPresent() && leafKey.isPresent()
                    && b.get().keyPackage().leafNode().encryptionKey().equals(leafKey.get())) {
                return; // added with one of our KeyPackages: its Welcome is on the way
            }
        }
        try {
            ExternalRejoin.Result r = ExternalRejoin.commit(gi, identity, oldLeaf.get(), options.groupConfig(),
                    PskLookup.fromStorage(tx.mls()));
            Bytes bytes = r.commit();
            Blobs.PendingCommit pc = new Blobs.PendingCommit(gi.groupContext().epoch(), Wire.digest(bytes),
                    Bytes.wrap(GroupStateCodec.encode(r.group().state())), Bytes.EMPTY,
                    MlsMessage.of(r.group().groupInfo(true, true)).encode(), List.of(), false);
            tx.putBlob(pendingKey(room), pc.encode());
            enqueueRoom(tx, room, bytes);
            LOG.info("re-joining by external commit: room={} epoch={}", room, gi.groupContext().epoch());
        } catch (MlsException e) {
            LOG.warn("cannot re-join: room={} epoch={} reason={}", room, gi.groupContext().epoch(), e.getMessage());
            tx.deleteBlob(groupInfoKey(room)); // wait for a fresher GroupInfo
        }
    }

    // ---- KeyPackages ---------------------------------------------------------------------------

    /** Sends the outbox, then retracts used KeyPackages and publishes fresh ones if needed. */
    public void flush() throws TransportException {
        OutboxSender.flush(transport, store);
        if (keyPackages.needsMaintenance()) {
            keyPackages.maintain();
        }
    }

    // ---- state helpers -------------------------------------------------------------------------

    private void enqueueRoom(ClientStore.Tx tx, RoomId room, Bytes payload) {
        tx.mark(OWN, Wire.digest(payload));
        tx.enqueue(Outgoing.toRoom(room, payload));
    }

    private Optional<MlsGroup> group(ClientStore.Tx tx, RoomId room) {
        MlsGroup cached = groups.get(room);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Bytes> gid = tx.blob(groupKey(room));
        if (gid.isEmpty()) {
            return Optional.empty();
        }
        Optional<MlsGroup> g = MlsGroup.load(store.groupStorage(), gid.get(), options.groupConfig(),
                PskLookup.fromStorage(store.groupStorage()));
        g.ifPresent(loaded -> groups.put(room, loaded));
        return g;
    }

    /** Makes {@code g} (new, joined or adopted) the room's group, saved and bound to the store. */
    private void save(ClientStore.Tx tx, RoomId room, MlsGroup g) {
        Optional<Bytes> old = tx.blob(groupKey(room));
        if (old.isPresent() && !old.get().equals(g.groupId())) {
            tx.mls().deleteGroupState(old.get());
        }
        tx.putBlob(groupKey(room), g.groupId());
        g.persistIn(store.groupStorage()); // from now on the group saves itself in each transaction that moves it
        remember(tx, room);
    }

    private void remember(ClientStore.Tx tx, RoomId room) {
        BlobLists.add(tx, "rooms", room.value());
    }

    private void dropGroup(ClientStore.Tx tx, RoomId room) {
        groups.remove(room);
        commitDue.remove(room);
        Optional<Bytes> gid = tx.blob(groupKey(room));
        gid.ifPresent(id -> tx.mls().deleteGroupState(id));
        tx.deleteBlob(groupKey(room));
        tx.deleteBlob(pendingKey(room));
    }

    private void forgetRoom(ClientStore.Tx tx, RoomId room, String why) {
        dropGroup(tx, room);
        tx.deleteBlob(joinedKey(room));
        tx.deleteBlob(inRoomKey(room));
        tx.deleteBlob(bufferKey(room));
        tx.deleteBlob(groupInfoKey(room));
        tx.deleteBlob(wantKey(room));
        LOG.info("room forgotten: room={} reason={}", room, why);
    }

    private Optional<Blobs.PendingCommit> pending(ClientStore.Tx tx, RoomId room) {
        Optional<Bytes> raw = tx.blob(pendingKey(room));
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Blobs.PendingCommit.decode(raw.get()));
        } catch (DecodeException e) {
            throw new IllegalStateException("stored pending commit is unreadable", e);
        }
    }

    private static String groupKey(RoomId room) {
        return "group:" + room.value();
    }

    private static String pendingKey(RoomId room) {
        return "pending:" + room.value();
    }

    private static String groupInfoKey(RoomId room) {
        return "groupInfo:" + room.value();
    }

    private static String bufferKey(RoomId room) {
        return "buffer:" + room.value();
    }

    private static String inRoomKey(RoomId room) {
        return "inRoom:" + room.value();
    }

    private static String joinedKey(RoomId room) {
        return "joined:" + room.value();
    }

    private void markJoined(ClientStore.Tx tx, RoomId room, long epoch) {
        tx.putBlob(joinedKey(room), Bytes.wrap(Long.toString(epoch).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String wantKey(RoomId room) {
        return "wantCommit:" + room.value();
    }

    /** Closes the transport connection and the store. */
    @Override
    public void close() {
        transport.close();
        store.close();
    }

    @Override
    public String toString() {
        return "MemberClient[" + self + "]";
    }
}
