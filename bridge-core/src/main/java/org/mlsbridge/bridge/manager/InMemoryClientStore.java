package org.mlsbridge.bridge.manager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * A {@link ClientStore} in memory, with real all-or-nothing transactions, for unit tests that do
 * not need durability. Losing the object is what "losing all state" means.
 */
public final class InMemoryClientStore implements ClientStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final InMemoryMlsStorage mls = new InMemoryMlsStorage();
    private Data data = new Data();

    private static final class Data {
        Optional<Cursor> cursor = Optional.empty();
        LinkedHashMap<String, Outgoing> outbox = new LinkedHashMap<>();
        Map<String, java.time.Instant> marks = new HashMap<>();
        LinkedHashMap<String, ReceivedMessage> inbox = new LinkedHashMap<>();
        Map<String, Bytes> blobs = new HashMap<>();

        Data copy() {
            Data d = new Data();
            d.cursor = cursor;
            d.outbox = new LinkedHashMap<>(outbox);
            d.marks = new HashMap<>(marks);
            d.inbox = new LinkedHashMap<>(inbox);
            d.blobs = new HashMap<>(blobs);
            return d;
        }
    }

    /** The one in-memory MLS storage; its units nest inside a running transaction's. */
    @Override
    public MlsStorage groupStorage() {
        return mls;
    }

    @Override
    public <T, E extends Exception> T transaction(Work<T, E> work) throws E {
        lock.lock();
        try {
            Data before = data;
            data = before.copy();
            boolean ok = false;
            try {
                T result = mls.atomically(() -> work.run(new MemTx()));
                ok = true;
                return result;
            } finally {
                if (!ok) {
                    data = before;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private final class MemTx implements Tx {
        @Override
        public MlsStorage mls() {
            return mls;
        }

        @Override
        public Optional<Cursor> cursor() {
            return data.cursor;
        }

        @Override
        public void setCursor(Cursor cursor) {
            data.cursor = Optional.of(cursor);
        }

        @Override
        public void resetCursor() {
            data.cursor = Optional.empty();
        }

        @Override
        public void enqueue(Outgoing message) {
            if (data.outbox.putIfAbsent(message.id(), message) != null) {
                throw new IllegalStateException("outbox id used twice: " + message.id());
            }
        }

        @Override
        public List<Outgoing> outbox(int limit) {
            return data.outbox.values().stream().limit(limit).toList();
        }

        @Override
        public void replacePayload(String id, Bytes payload) {
            Outgoing o = data.outbox.get(id);
            if (o == null) {
                throw new IllegalStateException("no queued message " + id);
            }
            data.outbox.put(id, o.withPayload(payload)); // an existing key keeps its place in the order
        }

        @Override
        public void sent(String id) {
            data.outbox.remove(id);
        }

        @Override
        public boolean mark(String kind, String id) {
            return data.marks.putIfAbsent(kind + "\0" + id, java.time.Instant.now()) == null;
        }

        @Override
        public boolean marked(String kind, String id) {
            return data.marks.containsKey(kind + "\0" + id);
        }

        @Override
        public void forgetMarks(String kind, java.time.Instant time) {
            data.marks.entrySet().removeIf(e -> e.getKey().startsWith(kind + "\0") && e.getValue().isBefore(time));
        }

        @Override
        public void deliver(ReceivedMessage message) {
            String key = message.room() + "\0" + message.id();
            if (data.inbox.putIfAbsent(key, message) != null) {
                throw new IllegalStateException("message delivered twice: " + message.id());
            }
        }

        @Override
        public List<ReceivedMessage> received(int limit) {
            return new ArrayList<>(data.inbox.values()).stream().limit(limit).toList();
        }

        @Override
        public void acknowledge(ReceivedMessage message) {
            data.inbox.remove(message.room() + "\0" + message.id());
        }

        @Override
        public Optional<Bytes> blob(String key) {
            return Optional.ofNullable(data.blobs.get(key));
        }

        @Override
        public void putBlob(String key, Bytes value) {
            data.blobs.put(key, Bytes.wrap(value.toByteArray())); // a copy: the caller may wipe its bytes
        }

        @Override
        public void deleteBlob(String key) {
            data.blobs.remove(key);
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
