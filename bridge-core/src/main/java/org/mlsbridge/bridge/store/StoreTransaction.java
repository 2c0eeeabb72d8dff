package org.mlsbridge.bridge.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * Everything one incoming or outgoing message changes, written atomically: obtained only inside
 * {@link SqliteStore#transaction}, valid until that call returns, and usable only from the thread
 * running it. If the transaction's work throws, nothing it wrote is kept.
 */
public final class StoreTransaction {
    private final TransactionMlsStorage mls;
    private final RoomTable rooms;
    private final OutboxTable outbox;
    private final InboxTable inbox;
    private final BlobTable blobs;
    private final OutboxWatch outboxWatch;
    private final Sql sql;

    StoreTransaction(Sql sql, OutboxWatch outboxWatch) {
        this.sql = sql;
        this.outboxWatch = outboxWatch;
        this.blobs = new BlobTable(sql);
        this.mls = new TransactionMlsStorage(sql);
        this.rooms = new RoomTable(sql);
        this.outbox = new OutboxTable(sql);
        this.inbox = new InboxTable(sql);
    }

    /** The MLS storage view bound to this transaction (group state, KeyPackages, identities, PSKs). */
    public MlsStorage mls() {
        return mls;
    }

    /** How many stored KeyPackages are not last_resort (for keeping the published pool topped up). */
    public int ordinaryKeyPackageCount() {
        return mls.ordinaryKeyPackageCount();
    }

    /** How many chunks the group's stored state has (diagnostics: growth of the state on disk). */
    int groupStateChunkCount(Bytes groupId) {
        return mls.groupStateChunkCount(groupId);
    }

    // ---- transport cursors

    /** Records how far a transport stream has been processed (Matrix next_batch, XMPP MAM id). */
    public void setCursor(String stream, String cursor) {
        rooms.setCursor(stream, cursor);
    }

    public Optional<String> cursor(String stream) {
        return rooms.cursor(stream);
    }

    /** Records when the store was last synced on purpose ({@link SqliteStore#syncUnsyncedCommits}). */
    boolean markSynced(long millis) {
        return sql.update("INSERT INTO meta (name, value) VALUES ('synced_at', ?) "
                + "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                Long.toString(millis).getBytes(StandardCharsets.US_ASCII)) > 0;
    }

    // ---- outbox

    /** Queues a message; its id must be new (IllegalStateException otherwise). */
    public void enqueueOutbox(OutboxMessage message) {
        outboxWatch.written();
        outbox.enqueue(message);
    }

    /** Queued messages in the order they were queued, at most {@code limit}. */
    public List<OutboxMessage> outbox(int limit) {
        List<OutboxMessage> pending = outbox.pending(limit);
        if (pending.isEmpty() && limit > 0) {
            outboxWatch.foundEmpty();
        }
        return pending;
    }

    public Optional<OutboxMessage> outboxMessage(String id) {
        return outbox.get(id);
    }

    public int outboxSize() {
        return outbox.size();
    }

    /** Counts a send attempt (call it in its own transaction before sending); false if no such message. */
    public boolean recordSendAttempt(String id) {
        return outbox.recordAttempt(id);
    }

    /**
     * Replaces a queued message's payload (encrypted again in a newer epoch); it keeps its id, so
     * the transport still sends it at most once, and its place in the send order. False if it
     * was not queued.
     */
    public boolean replaceOutboxPayload(String id, Bytes payload) {
        outboxWatch.written();
        return outbox.replacePayload(id, payload);
    }

    /** Removes a message once the transport confirmed it; false if it was not queued. */
    public boolean removeOutbox(String id) {
        return outbox.remove(id);
    }

    // ---- incoming: dedup and inbox

    /**
     * Records that message {@code messageId} of {@code stream} has been processed. Returns false
     * if it already was: the caller must then skip it (the transport replayed it).
     */
    public boolean markDelivered(String stream, String messageId) {
        return inbox.markDelivered(stream, messageId);
    }

    public boolean isDelivered(String stream, String messageId) {
        return inbox.isDelivered(stream, messageId);
    }

    /** Forgets processed ids recorded before {@code time} (the transport will not replay that far back). */
    public int forgetDeliveredBefore(Instant time) {
        return inbox.forgetDeliveredBefore(time.toEpochMilli());
    }

    /** As {@link #forgetDeliveredBefore(Instant)}, for one stream only. */
    public int forgetDeliveredBefore(String stream, Instant time) {
        return inbox.forgetDeliveredBefore(stream, time.toEpochMilli());
    }

    /** Hands a decrypted application message to the application; its id must be new. */
    public void addInbox(InboxMessage message) {
        inbox.add(message);
    }

    public List<InboxMessage> inbox(int limit) {
        return inbox.pending(limit);
    }

    public boolean removeInbox(String id) {
        return inbox.remove(id);
    }

    // ---- application blobs

    /**
     * Stores (or replaces) a value of the application's own, sealed at rest like the MLS state
     * and written in this transaction (e.g. the group manager's bookkeeping for a room).
     */
    public void putBlob(String name, Bytes value) {
        blobs.put(name, value);
    }

    public Optional<Bytes> blob(String name) {
        return blobs.get(name);
    }

    public boolean deleteBlob(String name) {
        return blobs.delete(name);
    }

    /** The names of stored blobs starting with {@code prefix}, in order. */
    public List<String> blobNames(String prefix) {
        return blobs.names(prefix);
    }

    // ---- rooms and members

    public void putRoom(Room room) {
        rooms.put(room);
    }

    public Optional<Room> room(String roomId) {
        return rooms.get(roomId);
    }

    public List<Room> rooms() {
        return rooms.all();
    }

    /** Deletes the room and its members (not its MLS group state, which has its own lifetime). */
    public boolean deleteRoom(String roomId) {
        return rooms.delete(roomId);
    }

    public void putMember(Member member) {
        rooms.putMember(member);
    }

    public List<Member> members(String roomId) {
        return rooms.members(roomId);
    }

    public boolean removeMember(String roomId, String userId) {
        return rooms.removeMember(roomId, userId);
    }
}
