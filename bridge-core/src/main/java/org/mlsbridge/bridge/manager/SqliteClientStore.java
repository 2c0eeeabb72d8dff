package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.store.InboxMessage;
import org.mlsbridge.bridge.store.OutboxMessage;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.store.StoreTransaction;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * The durable {@link ClientStore}: one {@link SqliteStore} transaction per manager transaction.
 * Mapping: cursor to the store's cursor of stream {@value #STREAM}; outbox entries to the outbox
 * (destination = room, kind = {@code room}, {@code welcome:<user>} or {@code text}); marks to the delivered-id
 * table (stream = mark kind); application messages to the inbox (sender prefixed with
 * {@code plain:} when not end-to-end encrypted); manager blobs to MLS group-state rows under the
 * id {@code "manager:" + key}, so they are encrypted at rest like the group state they go with.
 */
public final class SqliteClientStore implements ClientStore {
    static final String STREAM = "transport";
    /** Stored for "no cursor" (the store keeps cursors but cannot delete them). */
    private static final String NO_CURSOR = "-";
    private static final String BLOB_PREFIX = "manager:";
    private static final String WELCOME = "welcome:";
    private static final String PLAIN = "plain:";
    /** Outbox kind of a member-mode bot's plain-text post. */
    private static final String TEXT = "text";

    private final SqliteStore store;
    private final MlsStorage groupStorage;

    public SqliteClientStore(SqliteStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.groupStorage = store.mlsStorage();
    }

    public SqliteStore sqlite() {
        return store;
    }

    @Override
    public <T, E extends Exception> T transaction(Work<T, E> work) throws E {
        return store.transactionResult(tx -> work.run(new SqlTx(tx)));
    }

    @Override
    public <T, E extends Exception> T unsyncedTransaction(Work<T, E> work) throws E {
        return store.unsyncedTransactionResult(tx -> work.run(new SqlTx(tx)));
    }

    @Override
    public void syncBeforeSending() {
        store.syncUnsyncedCommits();
    }

    @Override
    public boolean outboxMayHoldEntries() {
        return store.outboxMayHoldEntries();
    }

    /** {@link SqliteStore#mlsStorage()}: on a thread inside a transaction, its calls are savepoints of it. */
    @Override
    public MlsStorage groupStorage() {
        return groupStorage;
    }

    private static final class SqlTx implements Tx {
        private final StoreTransaction tx;

        SqlTx(StoreTransaction tx) {
            this.tx = tx;
        }

        @Override
        public MlsStorage mls() {
            return tx.mls();
        }

        @Override
        public Optional<Cursor> cursor() {
            return tx.cursor(STREAM).filter(c -> !c.equals(NO_CURSOR)).map(Cursor::new);
        }

        @Override
        public void resetCursor() {
            tx.setCursor(STREAM, NO_CURSOR);
        }

        @Override
        public void setCursor(Cursor cursor) {
            tx.setCursor(STREAM, cursor.value());
        }

        @Override
        public void enqueue(Outgoing message) {
            String kind = message.plainText() ? TEXT : message.to().map(u -> WELCOME + u.value()).orElse("room");
            String room = message.room().value();
            tx.enqueueOutbox(message.applicationText()
                    .map(t -> OutboxMessage.withPlaintext(message.id(), room, kind, message.payload(), t))
                    .orElseGet(() -> OutboxMessage.of(message.id(), room, kind, message.payload())));
        }

        @Override
        public List<Outgoing> outbox(int limit) {
            List<Outgoing> out = new ArrayList<>();
            for (OutboxMessage m : tx.outbox(limit)) {
                Optional<UserId> to = m.kind().startsWith(WELCOME)
                        ? Optional.of(new UserId(m.kind().substring(WELCOME.length()))) : Optional.empty();
                out.add(new Outgoing(m.id(), new RoomId(m.destination()), to, m.payload(), m.kind().equals(TEXT),
                        m.plaintext()));
            }
            return out;
        }

        @Override
        public void replacePayload(String id, Bytes payload) {
            if (!tx.replaceOutboxPayload(id, payload)) {
                throw new IllegalStateException("no queued message " + id);
            }
        }

        @Override
        public void sent(String id) {
            tx.removeOutbox(id);
        }

        @Override
        public boolean mark(String kind, String id) {
            return tx.markDelivered(kind, id);
        }

        @Override
        public boolean marked(String kind, String id) {
            return tx.isDelivered(kind, id);
        }

        @Override
        public void forgetMarks(String kind, java.time.Instant time) {
            tx.forgetDeliveredBefore(kind, time);
        }

        @Override
        public void deliver(ReceivedMessage m) {
            String sender = (m.endToEndEncrypted() ? "" : PLAIN) + m.sender().value();
            tx.addInbox(new InboxMessage(inboxId(m.room(), m.id()), m.room().value(), sender, m.text()));
        }

        @Override
        public List<ReceivedMessage> received(int limit) {
            List<ReceivedMessage> out = new ArrayList<>();
            for (InboxMessage m : tx.inbox(limit)) {
                boolean plain = m.sender().startsWith(PLAIN);
                String sender = plain ? m.sender().substring(PLAIN.length()) : m.sender();
                String id = m.id().substring(m.roomId().length() + 1);
                out.add(new ReceivedMessage(id, new RoomId(m.roomId()), new UserId(sender), m.payload(), !plain));
            }
            return out;
        }

        @Override
        public void acknowledge(ReceivedMessage message) {
            tx.removeInbox(inboxId(message.room(), message.id()));
        }

        @Override
        public Optional<Bytes> blob(String key) {
            return tx.mls().loadGroupState(blobId(key)).map(Bytes::wrap);
        }

        @Override
        public void putBlob(String key, Bytes value) {
            byte[] plain = value.toByteArray();
            try {
                tx.mls().saveGroupState(blobId(key), plain);
            } finally {
                Arrays.fill(plain, (byte) 0); // sealed into the store by now
            }
        }

        @Override
        public void deleteBlob(String key) {
            tx.mls().deleteGroupState(blobId(key));
        }

        private static String inboxId(RoomId room, String id) {
            return room.value() + "|" + id;
        }

        private static Bytes blobId(String key) {
            return Bytes.wrap((BLOB_PREFIX + key).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
