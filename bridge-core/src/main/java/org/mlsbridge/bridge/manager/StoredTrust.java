package org.mlsbridge.bridge.manager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.KeyChange;
import org.mlsbridge.bridge.trust.KeyPins;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * The trust records of one client in its store: signature keys pinned per identity (one blob per
 * identity) and the key changes not yet acknowledged by the user (newest {@value #KEPT}).
 */
final class StoredTrust implements KeyPins.Store {
    static final int KEPT = 200;
    private static final String CHANGES = "keyChanges";

    private final ClientStore.Tx tx;

    StoredTrust(ClientStore.Tx tx) {
        this.tx = tx;
    }

    @Override
    public List<Bytes> pinned(UserId identity) {
        return BlobLists.get(tx, pinKey(identity)).stream().map(Bytes::fromHex).toList();
    }

    @Override
    public void pin(UserId identity, Bytes signatureKey) {
        BlobLists.add(tx, pinKey(identity), signatureKey.hex());
    }

    private static String pinKey(UserId identity) {
        return "pins:" + identity.value();
    }

    void report(KeyChange change) {
        List<KeyChange> all = new ArrayList<>(keyChanges());
        all.add(change);
        if (all.size() > KEPT) {
            all = all.subList(all.size() - KEPT, all.size());
        }
        write(all);
    }

    List<KeyChange> keyChanges() {
        Optional<Bytes> raw = tx.blob(CHANGES);
        if (raw.isEmpty()) {
            return List.of();
        }
        try {
            TlsReader r = TlsReader.of(raw.get());
            long n = r.uint32();
            List<KeyChange> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                RoomId room = new RoomId(Blobs.string(r));
                UserId who = new UserId(Blobs.string(r));
                String fp = Blobs.string(r);
                long m = r.uint32();
                List<String> earlier = new ArrayList<>();
                for (long j = 0; j < m; j++) {
                    earlier.add(Blobs.string(r));
                }
                out.add(new KeyChange(room, who, fp, earlier, Instant.ofEpochMilli(r.uint64())));
            }
            return out;
        } catch (DecodeException | IllegalArgumentException e) {
            throw new IllegalStateException("stored key changes are unreadable", e);
        }
    }

    void acknowledge(KeyChange change) {
        List<KeyChange> all = new ArrayList<>(keyChanges());
        all.remove(change);
        write(all);
    }

    private void write(List<KeyChange> all) {
        if (all.isEmpty()) {
            tx.deleteBlob(CHANGES);
            return;
        }
        TlsWriter w = new TlsWriter();
        w.uint32(all.size());
        for (KeyChange c : all) {
            Blobs.string(w, c.room().value());
            Blobs.string(w, c.identity().value());
            Blobs.string(w, c.fingerprint());
            w.uint32(c.earlier().size());
            for (String e : c.earlier()) {
                Blobs.string(w, e);
            }
            w.uint64(c.at().toEpochMilli());
        }
        tx.putBlob(CHANGES, Bytes.wrap(w.toByteArray()));
    }
}
