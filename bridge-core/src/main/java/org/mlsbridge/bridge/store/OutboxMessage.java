package org.mlsbridge.bridge.store;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A message waiting to be sent. Its {@code id} is chosen before the message is queued and never
 * changes, so a resend after a crash carries the same id and the transport can make the send
 * idempotent (Matrix txnId, XMPP stanza id). {@code destination} and {@code kind} mean what the
 * transport says (a room id and "room-message", a user id and "welcome", ...). The payload is
 * encrypted at rest like every other value.
 *
 * @param attempts how many times a send was started (recorded by {@link StoreTransaction#recordSendAttempt})
 * @param plaintext what {@code payload} encrypts, when the sender may have to encrypt it again
 *     before sending it (an application message whose epoch ended while it waited); sealed at rest
 *     like the payload, deleted with the entry, never in {@link #toString}
 */
public record OutboxMessage(String id, String destination, String kind, Bytes payload, int attempts,
        Optional<Bytes> plaintext) {
    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(plaintext, "plaintext");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("outbox id must not be empty");
        }
    }

    /** An entry without a kept plaintext. */
    public OutboxMessage(String id, String destination, String kind, Bytes payload, int attempts) {
        this(id, destination, kind, payload, attempts, Optional.empty());
    }

    /** A message not yet attempted. */
    public static OutboxMessage of(String id, String destination, String kind, Bytes payload) {
        return new OutboxMessage(id, destination, kind, payload, 0);
    }

    /** A message not yet attempted that keeps the plaintext its payload encrypts. */
    public static OutboxMessage withPlaintext(String id, String destination, String kind, Bytes payload,
            Bytes plaintext) {
        return new OutboxMessage(id, destination, kind, payload, 0, Optional.of(plaintext));
    }

    /** A fresh random id (122 random bits, hex): unique without coordination, safe as a Matrix txnId. */
    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public String toString() {
        return "OutboxMessage[" + id + " -> " + destination + ", " + kind + ", " + payload.length()
                + " bytes, attempts " + attempts + (plaintext.isPresent() ? ", plaintext kept" : "") + "]";
    }
}
