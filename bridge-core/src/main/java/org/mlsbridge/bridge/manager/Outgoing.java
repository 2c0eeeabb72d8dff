package org.mlsbridge.bridge.manager;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * An outbox entry: a room message, or a Welcome to one user. {@code id} becomes the transport's
 * client message id, so a resend after a crash is idempotent.
 *
 * @param to empty for a room message, the addressee of a Welcome
 */
public record Outgoing(String id, RoomId room, Optional<UserId> to, Bytes payload) {
    public Outgoing {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
    }

    public static Outgoing toRoom(RoomId room, Bytes payload) {
        return new Outgoing(newId(), room, Optional.empty(), payload);
    }

    public static Outgoing welcome(RoomId room, UserId to, Bytes payload) {
        return new Outgoing(newId(), room, Optional.of(to), payload);
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
