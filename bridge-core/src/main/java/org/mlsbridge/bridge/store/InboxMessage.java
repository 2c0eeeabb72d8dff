package org.mlsbridge.bridge.store;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A decrypted application message handed to the application through the store. It is written in
 * the same transaction as the group state that consumed its key, so a crash can neither lose it
 * (the key is gone once the state advanced) nor show it twice: the application reads
 * {@link StoreTransaction#inbox}, handles a message, and removes it by id. The payload is
 * plaintext, encrypted at rest, and left out of {@link #toString()}.
 */
public record InboxMessage(String id, String roomId, String sender, Bytes payload) {
    public InboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String toString() {
        return "InboxMessage[" + id + " in " + roomId + " from " + sender + ", " + payload.length() + " bytes redacted]";
    }
}
