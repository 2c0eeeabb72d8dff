package org.mlsbridge.bridge.manager;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * A client store that counts its (outermost) transactions and can make handing one chosen message
 * to the application fail, as a bug tripped by hostile input would.
 */
final class WatchedStore implements ClientStore {
    private final ClientStore inner;
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger unsynced = new AtomicInteger();
    private final AtomicInteger committedWithDeliveries = new AtomicInteger();
    private volatile Predicate<ReceivedMessage> poison = m -> false;
    private int depth;

    WatchedStore(ClientStore inner) {
        this.inner = inner;
    }

    ClientStore inner() {
        return inner;
    }

    void poison(Predicate<ReceivedMessage> p) {
        poison = p;
    }

    int transactions() {
        return transactions.get();
    }

    /** Committed transactions that handed at least one message to the application. */
    int committedWithDeliveries() {
        return committedWithDeliveries.get();
    }

    @Override
    public <T, E extends Exception> T transaction(Work<T, E> work) throws E {
        return watched(work, true);
    }

    @Override
    public <T, E extends Exception> T unsyncedTransaction(Work<T, E> work) throws E {
        return watched(work, false);
    }

    private <T, E extends Exception> T watched(Work<T, E> work, boolean synced) throws E {
        if (depth == 0) {
            transactions.incrementAndGet();
            if (!synced) {
                unsynced.incrementAndGet();
            }
        }
        depth++;
        boolean[] delivered = {false};
        try {
            Work<T, E> inTx = tx -> work.run(new WatchedTx(tx, delivered));
            T result = synced ? inner.transaction(inTx) : inner.unsyncedTransaction(inTx);
            if (depth == 1 && delivered[0]) {
                committedWithDeliveries.incrementAndGet();
            }
            return result;
        } finally {
            depth--;
        }
    }

    /** Outermost transactions whose commit was not synced on its own. */
    int unsyncedTransactions() {
        return unsynced.get();
    }

    @Override
    public void syncBeforeSending() {
        inner.syncBeforeSending();
    }

    @Override
    public boolean outboxMayHoldEntries() {
        return inner.outboxMayHoldEntries();
    }

    @Override
    public MlsStorage groupStorage() {
        return inner.groupStorage();
    }

    @Override
    public void close() {
        inner.close();
    }

    private final class WatchedTx implements Tx {
        private final Tx tx;
        private final boolean[] delivered;

        WatchedTx(Tx tx, boolean[] delivered) {
            this.tx = tx;
            this.delivered = delivered;
        }

        @Override
        public void deliver(ReceivedMessage message) {
            if (poison.test(message)) {
                throw new IllegalStateException("a bug tripped by this message");
            }
            delivered[0] = true;
            tx.deliver(message);
        }

        @Override
        public MlsStorage mls() {
            return tx.mls();
        }

        @Override
        public Optional<Cursor> cursor() {
            return tx.cursor();
        }

        @Override
        public void setCursor(Cursor cursor) {
            tx.setCursor(cursor);
        }

        @Override
        public void resetCursor() {
            tx.resetCursor();
        }

        @Override
        public void enqueue(Outgoing message) {
            tx.enqueue(message);
        }

        @Override
        public List<Outgoing> outbox(int limit) {
            return tx.outbox(limit);
        }

        @Override
        public void replacePayload(String id, Bytes payload) {
            tx.replacePayload(id, payload);
        }

        @Override
        public void sent(String id) {
            tx.sent(id);
        }

        @Override
        public boolean mark(String kind, String id) {
            return tx.mark(kind, id);
        }

        @Override
        public boolean marked(String kind, String id) {
            return tx.marked(kind, id);
        }

        @Override
        public void forgetMarks(String kind, Instant time) {
            tx.forgetMarks(kind, time);
        }

        @Override
        public List<ReceivedMessage> received(int limit) {
            return tx.received(limit);
        }

        @Override
        public void acknowledge(ReceivedMessage message) {
            tx.acknowledge(message);
        }

        @Override
        public Optional<Bytes> blob(String key) {
            return tx.blob(key);
        }

        @Override
        public void putBlob(String key, Bytes value) {
            tx.putBlob(key, value);
        }

        @Override
        public void deleteBlob(String key) {
            tx.deleteBlob(key);
        }
    }
}
