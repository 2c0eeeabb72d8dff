package org.mlsbridge.bridge.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * Room messages kept while we wait for our Welcome (Welcomes travel outside the room's order),
 * replayed after the join. Each message is its own store blob and a small index lists them with
 * their sizes, so adding one writes one message, not the whole buffer; the room policy's byte and
 * message limits evict the oldest first, each eviction counted.
 */
final class PreJoinBuffer {
    private record Entry(long seq, long size) {
    }

    private record Index(long next, List<Entry> entries) {
        long bytes() {
            return entries.stream().mapToLong(Entry::size).sum();
        }
    }

    private final ClientStore.Tx tx;
    private final RoomId room;
    private final String indexPrefix;
    private final String entryPrefix;

    PreJoinBuffer(ClientStore.Tx tx, RoomId room) {
        this(tx, room, "bufferIndex:", "buffered:");
    }

    private PreJoinBuffer(ClientStore.Tx tx, RoomId room, String indexPrefix, String entryPrefix) {
        this.tx = tx;
        this.room = room;
        this.indexPrefix = indexPrefix;
        this.entryPrefix = entryPrefix;
    }

    /** A buffer of the same kind under other keys: the bot's messages of epochs ahead of its view. */
    static PreJoinBuffer ahead(ClientStore.Tx tx, RoomId room) {
        return new PreJoinBuffer(tx, room, "aheadIndex:", "ahead:");
    }

    /** Adds a message; returns how many old ones were evicted to stay within the limits. */
    int add(RoomEvent.RoomMessage m, RoomPolicy policy) {
        Bytes encoded = Blobs.encodeBuffer(List.of(m));
        if (encoded.length() > policy.bufferBytes() || policy.bufferMessages() == 0) {
            return 1; // larger than the whole buffer: it is the one that goes
        }
        Index index = index();
        List<Entry> entries = new ArrayList<>(index.entries());
        long bytes = index.bytes() + encoded.length();
        int evicted = 0;
        while (!entries.isEmpty() && (bytes > policy.bufferBytes() || entries.size() + 1 > policy.bufferMessages())) {
            Entry old = entries.remove(0);
            tx.deleteBlob(key(old.seq()));
            bytes -= old.size();
            evicted++;
        }
        tx.putBlob(key(index.next()), encoded);
        entries.add(new Entry(index.next(), encoded.length()));
        write(new Index(index.next() + 1, entries));
        return evicted;
    }

    /** Takes every kept message out, oldest first. */
    List<RoomEvent.RoomMessage> drain() {
        Index index = index();
        List<RoomEvent.RoomMessage> out = new ArrayList<>();
        for (Entry e : index.entries()) {
            Optional<Bytes> raw = tx.blob(key(e.seq()));
            tx.deleteBlob(key(e.seq()));
            if (raw.isPresent()) {
                try {
                    out.addAll(Blobs.decodeBuffer(raw.get()));
                } catch (DecodeException | IllegalArgumentException ex) {
                    throw new IllegalStateException("stored buffered message is unreadable", ex);
                }
            }
        }
        tx.deleteBlob(indexKey());
        return out;
    }

    void clear() {
        drain();
    }

    private Index index() {
        Optional<Bytes> raw = tx.blob(indexKey());
        if (raw.isEmpty()) {
            return new Index(0, List.of());
        }
        try {
            TlsReader r = TlsReader.of(raw.get());
            long next = r.uint64();
            long n = r.uint32();
            List<Entry> entries = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                entries.add(new Entry(r.uint64(), r.uint64()));
            }
            return new Index(next, entries);
        } catch (DecodeException e) {
            throw new IllegalStateException("stored buffer index is unreadable", e);
        }
    }

    private void write(Index index) {
        TlsWriter w = new TlsWriter();
        w.uint64(index.next());
        w.uint32(index.entries().size());
        for (Entry e : index.entries()) {
            w.uint64(e.seq());
            w.uint64(e.size());
        }
        tx.putBlob(indexKey(), Bytes.wrap(w.toByteArray()));
    }

    private String indexKey() {
        return indexPrefix + room.value();
    }

    private String key(long seq) {
        return entryPrefix + seq + ":" + room.value(); // the number first, so no room name can collide
    }
}
