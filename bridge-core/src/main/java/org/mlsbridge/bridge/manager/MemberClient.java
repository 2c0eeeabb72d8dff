package org.mlsbridge.bridge.manager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.Fingerprint;
import org.mlsbridge.bridge.trust.KeyChange;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLS side of one chat client (one device of an account): what an MLS-capable client
 * embeds, and what a member-mode bot runs. One MLS group per room. Not thread-safe: drive it
 * from one thread (its loop calls {@link #step}); other threads may call {@link #send} only
 * through that loop.
 *
 * <p>Every event from the transport is handled in one store transaction together with the
 * cursor after it ({@link EventRunner}), and whatever it makes us send goes into the outbox in
 * that transaction and out after it. Consecutive application messages of one poll share one
 * transaction (one synced commit for all of them; reading them sends nothing, so no key is used
 * for sending before its state is stored); if that transaction fails, each is handled again alone. A crash replays the event from the old state or not at
 * all; an event that fails is dropped and counted, never retried. The parts: {@link RoomMessages}
 * (a room message's path), {@link Commits} (epoch changes and our own commits),
 * {@link Welcomes} (joining, and the pre-join buffer), {@link GroupInfos} (GroupInfo adoption
 * and re-joining); the trust rules are in {@code org.mlsbridge.bridge.trust}.
 */
public final class MemberClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberClient.class);
    private static final String IDENTITY = "self";
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    /** Events handled per poll when catching up before a send. */
    private static final int CATCH_UP_BATCH = 200;

    private final ClientContext c;
    private final KeyPackagePool keyPackages;
    private final EventRunner runner;
    private final Commits commits;
    private final GroupInfos groupInfos;
    private final Welcomes welcomes;
    private final RoomMessages roomMessages;
    private boolean caughtUp;
    private final OutboxRenewal renewal;
    private Instant prunedAt = Instant.EPOCH;

    /** What a member-mode bot adds to a member: it hears about others' membership, plain text and what it read. */
    interface Hooks {
        default void memberJoined(ClientStore.Tx tx, RoomId room, UserId user) {
        }

        default void memberGone(ClientStore.Tx tx, RoomId room, UserId user) {
        }

        /** A room message without MLS; true if taken (a legacy user's text, gatewayed into the group). */
        default boolean plainText(ClientStore.Tx tx, RoomEvent.PlainMessage m) {
            return false;
        }

        /** An application message was put in the inbox, in the transaction that decrypted it. */
        default void delivered(ClientStore.Tx tx, ReceivedMessage m) {
        }
    }

    /** Opens the client: loads or creates its signature identity, then publishes KeyPackages. */
    public MemberClient(Transport transport, ClientStore store, ClientOptions options) throws TransportException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(options, "options");
        UserId self = transport.self();
        SignatureIdentity identity = store.transaction(tx -> {
            Optional<SignatureIdentity> existing = tx.mls().loadSignatureIdentity(IDENTITY);
            if (existing.isPresent()) {
                return existing.get();
            }
            SignatureIdentity created = SignatureIdentity.generateBasic(options.groupConfig().crypto(),
                    options.suite(), Wire.identity(self));
            tx.mls().saveSignatureIdentity(IDENTITY, created);
            return created;
        });
        this.c = new ClientContext(self, transport, store, options, Clock.systemUTC(), identity);
        this.runner = new EventRunner(store, c.drops, c::forgetCachedGroups);
        this.commits = new Commits(c);
        this.groupInfos = new GroupInfos(c);
        this.welcomes = new Welcomes(c);
        this.roomMessages = new RoomMessages(c, commits, groupInfos);
        this.keyPackages = new KeyPackagePool(identity, transport, store, options);
        this.renewal = new OutboxRenewal(c, OutboxRenewal.queuedBefore(store));
        keyPackages.maintain();
        flush();
    }

    public UserId self() {
        return c.self;
    }

    public Counters counters() {
        return c.counters;
    }

    /** This client's entry for a group's external_senders (used when it is the bot in member mode). */
    SignatureIdentity identity() {
        return c.identity;
    }

    // ---- what the application does ------------------------------------------------------------

    /**
     * Creates the room's group with this client as its only member, posts its GroupInfo to the
     * room, and lists {@code externalSenders} (the room's bot) in external_senders.
     */
    public void createGroup(RoomId room, List<ExternalSender> externalSenders)
            throws MlsException, TransportException {
        c.transaction(tx -> {
            RoomRecords r = new RoomRecords(tx, room);
            if (r.groupId().isPresent()) {
                throw new IllegalStateException(c.self + " already has a group for " + room);
            }
            List<Extension> ext = externalSenders.isEmpty() ? List.of()
                    : List.of(ExternalSender.toExtension(externalSenders));
            MlsGroup g = MlsGroup.create(c.identity, ext, c.options.groupConfig(), c.psks());
            c.adopt(tx, room, g);
            r.setJoinedEpoch(g.epoch());
            r.setInRoom(true);
            c.enqueueRoom(tx, room, MlsMessage.of(g.groupInfo(true, true)).encode());
            LOG.info("group created: room={} epoch={} members=1 externalSenders={}", room, g.epoch(),
                    externalSenders.size());
            return null;
        });
        flush();
    }

    /** The bot's external_senders entry, read from its published last_resort KeyPackage. */
    public ExternalSender externalSenderOf(UserId bot) throws TransportException, MlsException {
        Bytes kp = c.transport.claimKeyPackage(bot).orElseThrow(
                () -> new IllegalStateException(bot + " published no KeyPackage"));
        MlsMessage m = MlsMessage.decode(kp);
        if (!(m.body() instanceof KeyPackage k)) {
            throw new DecodeException("the bot's KeyPackage is not a KeyPackage");
        }
        try {
            c.options.authentication().checkClaimed(bot, k);
        } catch (org.mlsbridge.bridge.trust.Refusal e) {
            throw new IllegalStateException("the directory's KeyPackage for " + bot + " is not the bot's: "
                    + e.getMessage());
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
            Optional<Cursor> cursor = c.store.transaction(tx -> tx.cursor());
            pendingEvents = c.transport.poll(cursor, CATCH_UP_BATCH, Duration.ZERO);
            handle(pendingEvents);
            // a short batch was all there was: asking again only costs a round trip to the
            // server (on Matrix a /sync) that finds nothing, on every message sent
        } while (pendingEvents.size() >= CATCH_UP_BATCH);
        renewal.polled(true);
        return sendWithoutPolling(room, text);
    }

    /**
     * {@link #send} without its poll first: for a caller whose {@link #step} has just read the
     * stream to its end (it returned fewer events than it asked for), as a chat client that shows
     * what arrived before it sends. On Matrix that poll would be one more /sync per message, and a
     * commit that arrived in between is no loss: receivers keep past epochs.
     */
    public Optional<SentMessage> sendWithoutPolling(RoomId room, Bytes text) throws MlsException, TransportException {
        Optional<SentMessage> queued = c.transaction(tx -> {
            MlsGroup g = c.group(tx, room).orElse(null);
            if (g == null) {
                return Optional.<SentMessage>empty();
            }
            MlsMessage m = g.encrypt(text, Bytes.EMPTY); // saved by the group in this transaction
            c.enqueueApplication(tx, room, m.encode(), text);
            return Optional.of(new SentMessage(g.epoch(), members(g)));
        });
        // counted once stored: a transaction that fails (even at COMMIT) queued nothing
        queued.ifPresent(q -> c.counters.messageOut());
        flush();
        return queued;
    }

    /** Asks for a commit in the room even with nothing pending (fresh keys); retried if it loses. */
    public void requestCommit(RoomId room) {
        c.store.transaction(tx -> {
            new RoomRecords(tx, room).setWantsCommit(true);
            return null;
        });
        c.commitDue.put(room, System.nanoTime());
    }

    /** Decrypted messages not yet acknowledged, oldest first. */
    public List<ReceivedMessage> received() {
        return c.store.transaction(tx -> tx.received(Integer.MAX_VALUE));
    }

    public void acknowledge(ReceivedMessage message) {
        acknowledge(List.of(message));
    }

    /**
     * Acknowledges several messages in one transaction. Its commit is not synced on its own: a
     * crash of the process keeps it, a power cut before the next synced commit may hand these
     * messages out again (with the same ids), as {@link #received} does for any message not yet
     * acknowledged.
     */
    public void acknowledge(List<ReceivedMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        c.store.unsyncedTransaction(tx -> {
            for (ReceivedMessage m : messages) {
                tx.acknowledge(m);
            }
            return null;
        });
    }

    /** Known identities that showed a new signature key, not yet acknowledged: show them to the user. */
    public List<KeyChange> keyChanges() {
        return c.store.transaction(tx -> new StoredTrust(tx).keyChanges());
    }

    public void acknowledge(KeyChange change) {
        c.store.transaction(tx -> {
            new StoredTrust(tx).acknowledge(change);
            return null;
        });
    }

    /** Each member's signature-key fingerprints in the room's group, to compare out of band. */
    public Map<UserId, List<String>> fingerprints(RoomId room) {
        return c.store.transaction(tx -> {
            Map<UserId, List<String>> out = new LinkedHashMap<>();
            c.group(tx, room).ifPresent(g -> g.state().tree().forEachLeaf((i, leaf) -> Wire.user(leaf.credential())
                    .ifPresent(u -> out.computeIfAbsent(u, x -> new ArrayList<>())
                            .add(Fingerprint.of(leaf.signatureKey())))));
            return out;
        });
    }

    /** Refused events, newest last (at most {@value DropLog#KEPT}): room, server id, reason, time; never content. */
    public List<DroppedEvent> droppedEvents() {
        return c.store.transaction(DropLog::read);
    }

    /** The room's epoch, if this client is in its group. */
    public Optional<Long> epoch(RoomId room) {
        return c.store.transaction(tx -> c.group(tx, room).map(MlsGroup::epoch));
    }

    public Optional<Bytes> epochAuthenticator(RoomId room) {
        return c.store.transaction(tx -> c.group(tx, room).map(MlsGroup::epochAuthenticator));
    }

    /** Members of the room's group as this client sees them (an account once per device). */
    public List<UserId> groupMembers(RoomId room) {
        return c.store.transaction(tx -> c.group(tx, room).map(MemberClient::members).orElse(List.of()));
    }

    private static List<UserId> members(MlsGroup g) {
        List<UserId> out = new ArrayList<>();
        g.state().tree().forEachLeaf((i, leaf) -> Wire.user(leaf.credential()).ifPresent(out::add));
        return out;
    }

    // ---- for the member-mode bot -------------------------------------------------------------

    void setHooks(Hooks hooks) {
        c.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * A transaction for a role built on this client that may move a cached group (encrypting into
     * it): one that fails drops the cached groups, so no ratchet generation is used twice.
     */
    <T, E extends Exception> T transaction(ClientStore.Work<T, E> work) throws E {
        return c.transaction(work);
    }

    ClientStore store() {
        return c.store;
    }

    Transport transport() {
        return c.transport;
    }

    ClientOptions options() {
        return c.options;
    }

    /** Whether we are in the room's group with no own commit in flight. */
    boolean canCommit(ClientStore.Tx tx, RoomId room) {
        return c.group(tx, room).isPresent() && new RoomRecords(tx, room).pending().isEmpty();
    }

    /** Commits Adds and Removes by value; re-derived by the caller on the next epoch if it lost. */
    void commitMembership(ClientStore.Tx tx, RoomId room, List<Proposal> proposals) {
        commits.commitByValue(tx, room, proposals);
    }

    /** Every leaf of {@code user} (one per device) in our view of the room's group. */
    List<LeafIndex> leavesOf(ClientStore.Tx tx, RoomId room, UserId user) {
        List<LeafIndex> out = new ArrayList<>();
        c.group(tx, room).ifPresent(g -> g.state().tree().forEachLeaf((i, l) -> {
            if (Wire.user(l.credential()).equals(Optional.of(user))) {
                out.add(i);
            }
        }));
        return out;
    }

    /** Counts and lists a refusal made by a role built on this client (the member-mode bot). */
    void drop(ClientStore.Tx tx, RoomId room, Optional<String> serverId, DropReason reason, String detail) {
        c.drops.drop(tx, room, serverId, reason, detail);
    }

    /**
     * Relays a legacy user's plaintext into the group, signed by us and marked not end-to-end
     * encrypted; false when there is no group to relay it into.
     */
    boolean relayPlaintext(ClientStore.Tx tx, RoomId room, UserId legacyUser, Bytes text) {
        Optional<MlsGroup> g = c.group(tx, room);
        if (g.isEmpty()) {
            return false;
        }
        try {
            MlsMessage m = g.get().encrypt(text, LegacyMarker.of(legacyUser));
            c.enqueueRoom(tx, room, m.encode());
            c.counters.messageOut();
            return true;
        } catch (MlsException e) {
            LOG.warn("cannot relay legacy message: room={} reason={}", room, e.getMessage());
            return false;
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
        Optional<Cursor> cursor = c.store.transaction(tx -> tx.cursor());
        List<Delivery> batch;
        try {
            batch = c.transport.poll(cursor, max, wait);
        } catch (TransportException e) {
            if (e.retryable() || cursor.isEmpty()) {
                throw e;
            }
            // The transport no longer knows our cursor (history expired): start over from what it
            // keeps. Seen marks skip what we already handled; if we missed commits, a GroupInfo
            // signed by a pinned key shows it and we re-join by external commit.
            LOG.warn("cursor refused, restarting the stream: user={} reason={}", c.self, e.getMessage());
            c.store.transaction(tx -> {
                tx.resetCursor();
                return null;
            });
            c.gap = true;
            return 0;
        }
        handle(batch);
        caughtUp = batch.isEmpty();
        renewal.polled(batch.size() < max);
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
        return !c.commitDue.isEmpty();
    }

    /** Runs a poll's events in order: runs of others' application messages together, the rest one by one. */
    private void handle(List<Delivery> batch) throws InterruptedException {
        int i = 0;
        while (i < batch.size()) {
            int j = i;
            while (j < batch.size() && othersApplicationMessage(batch.get(j))) {
                j++;
            }
            if (j > i) {
                runner.runAll(batch.subList(i, j), this::handleEvent);
                i = j;
            } else {
                runner.run(batch.get(i), this::handleEvent);
                i++;
            }
        }
    }

    /**
     * Whether the event is a room message from someone else that says (in its clear header) it is
     * an application message: handling it only reads and stores (a member-mode bot's plain posts
     * for legacy users are outbox entries of the same transaction), it changes no epoch and sends
     * nothing. A lying header costs nothing: MLS refuses the message, and the batch takes it as
     * it would alone.
     */
    private boolean othersApplicationMessage(Delivery d) {
        if (!(d.event() instanceof RoomEvent.RoomMessage m) || m.sender().equals(c.self)) {
            return false;
        }
        try {
            return MlsMessage.decode(m.payload()).body() instanceof PrivateMessage p
                    && p.contentType() == ContentType.APPLICATION;
        } catch (DecodeException e) {
            return false;
        }
    }

    private void handleEvent(ClientStore.Tx tx, RoomEvent event) {
        switch (event) {
            case RoomEvent.RoomMessage m -> {
                if (!tx.mark(ClientContext.SEEN, m.room() + "/" + m.serverId())) {
                    c.drops.drop(tx, m.room(), Optional.of(m.serverId().value()), DropReason.REPLAY, "seen before");
                    return;
                }
                roomMessages.onRoomMessage(tx, m, false);
            }
            case RoomEvent.PlainMessage p -> {
                if (!c.hooks.plainText(tx, p)) {
                    // a chat client without MLS, or a bot's plain copy of what we read from the
                    // group anyway: neither a failure nor a drop, so counted apart and not logged
                    c.counters.plainIgnored();
                }
            }
            case RoomEvent.MemberJoined j -> {
                if (j.user().equals(c.self)) {
                    new RoomRecords(tx, j.room()).setInRoom(true);
                } else {
                    c.hooks.memberJoined(tx, j.room(), j.user());
                }
            }
            case RoomEvent.MemberLeft l -> memberGone(tx, l.room(), l.user(), "left the room");
            case RoomEvent.MemberBanned b -> memberGone(tx, b.room(), b.user(), "banned from the room");
            case RoomEvent.WelcomeReceived w -> welcomes.onWelcome(tx, w,
                    (inner, m) -> roomMessages.onRoomMessage(inner, m, true));
        }
    }

    private void memberGone(ClientStore.Tx tx, RoomId room, UserId user, String why) {
        if (!user.equals(c.self)) {
            c.hooks.memberGone(tx, room, user);
            return;
        }
        c.dropGroup(tx, room);
        new PreJoinBuffer(tx, room).clear();
        new RoomRecords(tx, room).forget();
        LOG.info("room forgotten: room={} reason={}", room, why);
    }

    private void runTimers() {
        long now = System.nanoTime();
        for (RoomId room : List.copyOf(c.commitDue.keySet())) {
            Long due = c.commitDue.get(room);
            if (due != null && due - now <= 0) {
                c.commitDue.remove(room);
                c.transaction(tx -> {
                    commits.commitIfNeeded(tx, room);
                    return null;
                });
            }
        }
        if (caughtUp) {
            groupInfos.rejoinWhereNeeded();
            c.gap = false;
            scheduleUnfinishedCommits();
            pruneMarks();
        }
    }

    /** After a restart nothing in memory says a commit is due: look at what the state holds. */
    private void scheduleUnfinishedCommits() {
        List<RoomId> unfinished = c.store.transaction(tx -> {
            List<RoomId> out = new ArrayList<>();
            for (String name : BlobLists.get(tx, "rooms")) {
                RoomId room = new RoomId(name);
                RoomRecords r = new RoomRecords(tx, room);
                if (c.commitDue.containsKey(room) || r.pending().isPresent()) {
                    continue;
                }
                Optional<MlsGroup> g = c.group(tx, room);
                if (g.isPresent() && c.commitFailed.getOrDefault(room, -1L) == g.get().epoch()) {
                    continue;
                }
                if (g.isPresent() && (!g.get().state().proposals().isEmpty() || r.wantsCommit())) {
                    out.add(room);
                }
            }
            return out;
        });
        unfinished.forEach(c::scheduleCommit);
    }

    /**
     * Forgets handled message ids older than the retention: a replay of such a message meets an
     * ended epoch or a used-up key in MLS and is refused there.
     */
    private void pruneMarks() {
        Instant now = c.clock.instant();
        Duration every = c.options.dedupRetention().compareTo(PRUNE_EVERY) < 0 ? c.options.dedupRetention()
                : PRUNE_EVERY;
        if (Duration.between(prunedAt, now).compareTo(every) < 0) {
            return;
        }
        prunedAt = now;
        Instant before = now.minus(c.options.dedupRetention());
        c.store.transaction(tx -> {
            tx.forgetMarks(ClientContext.SEEN, before);
            tx.forgetMarks(ClientContext.OWN, before);
            tx.forgetMarks(ClientContext.ECHOED, before);
            return null;
        });
    }

    /** Sends the outbox, then retracts used KeyPackages and publishes fresh ones if needed. */
    public void flush() throws TransportException {
        OutboxSender.flush(c.transport, c.store, renewal);
        if (c.keyPackagesMayBeUsed) {
            if (keyPackages.needsMaintenance()) {
                keyPackages.maintain();
            }
            c.keyPackagesMayBeUsed = false; // not reached if maintaining failed: the next flush tries again
        }
    }

    /** Closes the transport connection and the store. */
    @Override
    public void close() {
        c.transport.close();
        c.store.close();
    }

    @Override
    public String toString() {
        return "MemberClient[" + c.self + "]";
    }
}
