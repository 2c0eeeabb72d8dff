package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * An outbox entry: a room message, a Welcome to one user, or (a member-mode bot's) plain text for
 * the room's members without MLS. {@code id} becomes the transport's client message id, so a
 * resend after a crash is idempotent.
 *
 * @param to empty for a room message, the addressee of a Welcome
 * @param plainText the payload is UTF-8 text posted without MLS ({@code to} is then empty)
 */
public record Outgoing(String id, RoomId room, Optional<UserId> to, Bytes payload, boolean plainText) {
    public Outgoing {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        if (plainText && to.isPresent()) {
            throw new IllegalArgumentException("plain text goes to a room, never to a user");
        }
    }

    public Outgoing(String id, RoomId room, Optional<UserId> to, Bytes payload) {
        this(id, room, to, payload, false);
    }

    public static Outgoing toRoom(RoomId room, Bytes payload) {
        return new Outgoing(newId(), room, Optional.empty(), payload);
    }

    public static Outgoing welcome(RoomId room, UserId to, Bytes payload) {
        return new Outgoing(newId(), room, Optional.of(to), payload);
    }

    /** Text posted into {@code room} in the clear (never MLS): what a member-mode bot gateways. */
    public static Outgoing plainText(RoomId room, String text) {
        return new Outgoing(newId(), room, Optional.empty(), Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** The text of a plain-text entry. */
    public String text() {
        return new String(payload.toByteArray(), StandardCharsets.UTF_8);
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
