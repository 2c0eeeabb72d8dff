package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** Encodings of the manager's own small records kept as store blobs (TLS style, versioned by key). */
final class Blobs {
    private Blobs() {
    }

    static void string(TlsWriter w, String s) {
        w.opaque(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(TlsReader r) throws DecodeException {
        return new String(r.opaque().toByteArray(), StandardCharsets.UTF_8);
    }

    /** Room messages kept while waiting for a Welcome. */
    static Bytes encodeBuffer(List<RoomEvent.RoomMessage> messages) {
        TlsWriter w = new TlsWriter();
        w.uint32(messages.size());
        for (RoomEvent.RoomMessage m : messages) {
            string(w, m.room().value());
            string(w, m.sender().value());
            string(w, m.serverId().value());
            w.opaque(m.payload());
        }
        return Bytes.wrap(w.toByteArray());
    }

    static List<RoomEvent.RoomMessage> decodeBuffer(Bytes data) throws DecodeException {
        TlsReader r = TlsReader.of(data);
        long n = r.uint32();
        List<RoomEvent.RoomMessage> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(new RoomEvent.RoomMessage(new RoomId(string(r)), new UserId(string(r)), new ServerId(string(r)),
                    r.opaque()));
        }
        return out;
    }

    /** Our own commit, sent and not yet ordered: what to do if it wins. */
    record PendingCommit(long epoch, String digest, Bytes nextState, Bytes welcome, Bytes groupInfo,
            List<UserId> added, boolean explicit) {
        /** The encoding; it holds the next epoch's secrets, so the caller wipes it once stored. */
        byte[] encode() {
            TlsWriter w = new TlsWriter();
            w.uint64(epoch);
            string(w, digest);
            w.opaque(nextState);
            w.opaque(welcome);
            w.opaque(groupInfo);
            w.uint32(added.size());
            for (UserId u : added) {
                string(w, u.value());
            }
            w.bool(explicit);
            return w.toByteArray();
        }

        static PendingCommit decode(Bytes data) throws DecodeException {
            TlsReader r = TlsReader.of(data);
            long epoch = r.uint64();
            String digest = string(r);
            Bytes next = r.opaque();
            Bytes welcome = r.opaque();
            Bytes gi = r.opaque();
            long n = r.uint32();
            List<UserId> added = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                added.add(new UserId(string(r)));
            }
            boolean explicit = r.bool();
            return new PendingCommit(epoch, digest, next, welcome, gi, added, explicit);
        }
    }
}
