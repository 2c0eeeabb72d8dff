package org.mlsbridge.bridge.manager;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.CommitRules;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.PreSharedKeyId;

/**
 * What the parts of one {@link MemberClient} share: its account, connection, store and options,
 * the groups loaded from the store, and the commit timers. Confined to the client's thread.
 */
final class ClientContext {
    static final String OWN = "own";
    static final String SEEN = "seen";
    /** Digests of our own room messages whose echo we handled: they reached the room. */
    static final String ECHOED = "echoed";

    final UserId self;
    final Transport transport;
    final ClientStore store;
    final ClientOptions options;
    final Counters counters = new Counters();
    final Clock clock;
    final DropLog drops;
    final SecureRandom random = new SecureRandom();
    final SignatureIdentity identity;
    /** Groups loaded from the store; dropped whenever a transaction fails, reloaded on demand. */
    private final Map<RoomId, MlsGroup> groups = new HashMap<>();
    /** When each room's next commit attempt is due (System.nanoTime). */
    final Map<RoomId, Long> commitDue = new HashMap<>();
    /** Epoch in which committing the cached proposals failed: not retried until the epoch changes. */
    final Map<RoomId, Long> commitFailed = new HashMap<>();
    MemberClient.Hooks hooks = new MemberClient.Hooks() {
    };
    /**
     * The transport refused our cursor and we restarted from what it keeps: commits may have
     * been missed, so a verified GroupInfo of a later epoch may make us re-join. Cleared once
     * caught up.
     */
    boolean gap;
    /**
     * A join may have used one of our KeyPackages since the pool last looked (true at start): only
     * then does {@link MemberClient#flush} read the pool's records, not on every turn.
     */
    boolean keyPackagesMayBeUsed = true;

    ClientContext(UserId self, Transport transport, ClientStore store, ClientOptions options, Clock clock,
            SignatureIdentity identity) {
        this.self = self;
        this.transport = transport;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.drops = new DropLog(counters, clock);
        this.identity = identity;
    }

    RoomPolicy policy(RoomId room) {
        return options.policies().forRoom(room);
    }

    /** PSK values from the store, through the transaction running when they are looked up. */
    PskLookup psks() {
        return PskLookup.fromStorage(store.groupStorage());
    }

    /** The rules for commits and proposals of the room's group {@code g}. */
    CommitRules rules(RoomId room, MlsGroup g) {
        return new CommitRules(options.authentication(), policy(room), psk -> resolvable(g, psk));
    }

    private boolean resolvable(MlsGroup g, PreSharedKeyId psk) {
        return switch (psk) {
            case PreSharedKeyId.ExternalPsk e -> psks().externalPsk(e.pskId()).isPresent();
            case PreSharedKeyId.ResumptionPsk r -> (r.pskGroupId().equals(g.groupId())
                    && g.state().resumptionPsk(r.pskEpoch()).isPresent())
                    || psks().resumptionPsk(r.pskGroupId(), r.pskEpoch()).isPresent();
        };
    }

    Optional<MlsGroup> group(ClientStore.Tx tx, RoomId room) {
        MlsGroup cached = groups.get(room);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Bytes> gid = new RoomRecords(tx, room).groupId();
        if (gid.isEmpty()) {
            return Optional.empty();
        }
        Optional<MlsGroup> g = MlsGroup.load(store.groupStorage(), gid.get(), options.groupConfig(), psks());
        g.ifPresent(loaded -> groups.put(room, loaded));
        return g;
    }

    /**
     * Makes {@code g} (new, joined or adopted) the room's group: saved, bound to the store so it
     * saves itself in each transaction that moves it, and the room pinned to its group id.
     */
    void adopt(ClientStore.Tx tx, RoomId room, MlsGroup g) {
        RoomRecords r = new RoomRecords(tx, room);
        Optional<Bytes> old = r.groupId();
        if (old.isPresent() && !old.get().equals(g.groupId())) {
            tx.mls().deleteGroupState(old.get());
        }
        r.setGroupId(g.groupId());
        r.pinGroup(g.groupId());
        r.clearCommitReadWithoutGroup();
        g.persistIn(store.groupStorage());
        groups.put(room, g);
        BlobLists.add(tx, "rooms", room.value());
    }

    /** Deletes the room's group state (removed, or the state can no longer follow the group). */
    void dropGroup(ClientStore.Tx tx, RoomId room) {
        groups.remove(room);
        commitDue.remove(room);
        RoomRecords r = new RoomRecords(tx, room);
        r.groupId().ifPresent(id -> tx.mls().deleteGroupState(id));
        r.clearGroupId();
        r.clearPending();
    }

    void forgetCachedGroups() {
        groups.clear();
    }

    /**
     * A transaction that may move a cached group (encrypt, commit, join): if it fails, even at
     * its COMMIT (a full disk), the groups it moved in memory are ahead of what was stored, so
     * they are dropped and loaded again on demand. Without this, the next send after a failed
     * one would use the next ratchet generation of a state that was never stored.
     */
    <T, E extends Exception> T transaction(ClientStore.Work<T, E> work) throws E {
        try {
            return store.transaction(work);
        } catch (Throwable t) {
            forgetCachedGroups();
            throw t;
        }
    }

    /** Queues a room message and marks it as ours, so its echo is recognised. */
    void enqueueRoom(ClientStore.Tx tx, RoomId room, Bytes payload) {
        tx.mark(OWN, Wire.digest(payload));
        tx.enqueue(Outgoing.toRoom(room, payload));
    }

    /**
     * Queues our own application message ({@code payload} encrypts {@code text}), keeping the text
     * until it is sent so it can be encrypted again if its epoch ends first ({@link OutboxRenewal}).
     */
    void enqueueApplication(ClientStore.Tx tx, RoomId room, Bytes payload, Bytes text) {
        tx.mark(OWN, Wire.digest(payload));
        tx.enqueue(Outgoing.application(room, payload, text));
    }

    void scheduleCommit(RoomId room) {
        long delay = (long) (random.nextDouble() * options.maxCommitDelay().toNanos());
        commitDue.putIfAbsent(room, System.nanoTime() + delay);
    }
}
