package org.mlsbridge.bridge.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The relay's durable queue of handshake messages to post into both rooms, oldest first. An
 * entry leaves the queue only after both posts; until then nothing behind it is posted, so a
 * failure or a crash between the two posts cannot let a later message overtake it in one room:
 * both rooms keep the same order. Each entry keeps its client message id, so posting it again
 * after a crash is dropped by the servers.
 */
final class SequenceQueue {
    /** An entry: its id for both posts and the MLS message. */
    record Entry(ClientMessageId id, Bytes payload) {
    }

    private final String prefix;

    SequenceQueue(String prefix) {
        this.prefix = prefix;
    }

    /** Appends inside the caller's transaction (with the cursor of the event it came from). */
    void add(ClientStore.Tx tx, ClientMessageId id, Bytes payload) {
        long tail = counter(tx, "tail");
        byte[] idBytes = id.value().getBytes(StandardCharsets.UTF_8);
        byte[] p = payload.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(2 + idBytes.length + p.length);
        b.putShort((short) idBytes.length).put(idBytes).put(p);
        tx.putBlob(prefix + tail, Bytes.wrap(b.array()));
        setCounter(tx, "tail", tail + 1);
    }

    /** The oldest entry not yet posted into both rooms. */
    Optional<Entry> head(ClientStore.Tx tx) {
        long head = counter(tx, "head");
        if (head >= counter(tx, "tail")) {
            return Optional.empty();
        }
        byte[] raw = tx.blob(prefix + head).orElseThrow(
                () -> new IllegalStateException("sequence queue entry " + head + " is missing")).toByteArray();
        ByteBuffer b = ByteBuffer.wrap(raw);
        byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(id);
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return Optional.of(new Entry(new ClientMessageId(new String(id, StandardCharsets.UTF_8)), Bytes.wrap(payload)));
    }

    /** The head was posted into both rooms. */
    void removeHead(ClientStore.Tx tx) {
        long head = counter(tx, "head");
        tx.deleteBlob(prefix + head);
        setCounter(tx, "head", head + 1);
    }

    /** Entries waiting. */
    long size(ClientStore.Tx tx) {
        return counter(tx, "tail") - counter(tx, "head");
    }

    private long counter(ClientStore.Tx tx, String name) {
        return tx.blob(prefix + name).map(b -> Long.parseLong(new String(b.toByteArray(), StandardCharsets.UTF_8)))
                .orElse(0L);
    }

    private void setCounter(ClientStore.Tx tx, String name, long value) {
        tx.putBlob(prefix + name, Bytes.wrap(Long.toString(value).getBytes(StandardCharsets.UTF_8)));
    }
}
