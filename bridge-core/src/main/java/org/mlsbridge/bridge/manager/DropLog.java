package org.mlsbridge.bridge.manager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused events by reason and keeps the newest {@value #KEPT} of them in the store, in
 * the transaction of the event, so an operator can list them after a restart.
 */
final class DropLog {
    private static final Logger LOG = LoggerFactory.getLogger(DropLog.class);
    private static final String KEY = "dropped";
    static final int KEPT = 500;

    private final Counters counters;
    private final Clock clock;

    DropLog(Counters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    Counters counters() {
        return counters;
    }

    /** Counts and lists one refused message; {@code detail} goes to the log only and must hold no plaintext. */
    void drop(ClientStore.Tx tx, RoomId room, Optional<String> serverId, DropReason reason, String detail) {
        counters.count(reason);
        list(tx, room, serverId, reason, detail);
    }

    /** As {@link #drop}, for a commit (also counted as a rejected commit). */
    void dropCommit(ClientStore.Tx tx, RoomId room, Optional<String> serverId, DropReason reason, String detail) {
        counters.rejectedCommit(reason);
        list(tx, room, serverId, reason, detail);
    }

    private void list(ClientStore.Tx tx, RoomId room, Optional<String> serverId, DropReason reason, String detail) {
        List<DroppedEvent> list = new ArrayList<>(read(tx));
        list.add(new DroppedEvent(room, serverId, reason, clock.instant()));
        if (list.size() > KEPT) {
            list = list.subList(list.size() - KEPT, list.size());
        }
        tx.putBlob(KEY, encode(list));
        LOG.warn("dropped: room={} id={} reason={} detail={}", room, serverId.orElse("-"), reason, detail);
    }

    static List<DroppedEvent> read(ClientStore.Tx tx) {
        Optional<Bytes> raw = tx.blob(KEY);
        if (raw.isEmpty()) {
            return List.of();
        }
        try {
            TlsReader r = TlsReader.of(raw.get());
            long n = r.uint32();
            List<DroppedEvent> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                RoomId room = new RoomId(Blobs.string(r));
                String id = Blobs.string(r);
                DropReason reason = DropReason.valueOf(Blobs.string(r));
                Instant at = Instant.ofEpochMilli(r.uint64());
                out.add(new DroppedEvent(room, id.isEmpty() ? Optional.empty() : Optional.of(id), reason, at));
            }
            return out;
        } catch (DecodeException | IllegalArgumentException e) {
            throw new IllegalStateException("stored list of dropped events is unreadable", e);
        }
    }

    private static Bytes encode(List<DroppedEvent> list) {
        TlsWriter w = new TlsWriter();
        w.uint32(list.size());
        for (DroppedEvent d : list) {
            Blobs.string(w, d.room().value());
            Blobs.string(w, d.serverId().orElse(""));
            Blobs.string(w, d.reason().name());
            w.uint64(d.at().toEpochMilli());
        }
        return Bytes.wrap(w.toByteArray());
    }
}
