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
 * @param applicationText for our own application message, the text the payload encrypts: kept
 *     until the entry is sent, so that it can be encrypted again if its epoch ended meanwhile
 *     (never in {@link #toString})
 */
public record Outgoing(String id, RoomId room, Optional<UserId> to, Bytes payload, boolean plainText,
        Optional<Bytes> applicationText) {
    public Outgoing {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(applicationText, "applicationText");
        if (plainText && to.isPresent()) {
            throw new IllegalArgumentException("plain text goes to a room, never to a user");
        }
        if (applicationText.isPresent() && (plainText || to.isPresent())) {
            throw new IllegalArgumentException("only an MLS room message keeps its application text");
        }
    }

    public Outgoing(String id, RoomId room, Optional<UserId> to, Bytes payload, boolean plainText) {
        this(id, room, to, payload, plainText, Optional.empty());
    }

    public Outgoing(String id, RoomId room, Optional<UserId> to, Bytes payload) {
        this(id, room, to, payload, false);
    }

    public static Outgoing toRoom(RoomId room, Bytes payload) {
        return new Outgoing(newId(), room, Optional.empty(), payload);
    }

    /** Our own application message to the room: {@code payload} encrypts {@code text}. */
    public static Outgoing application(RoomId room, Bytes payload, Bytes text) {
        return new Outgoing(newId(), room, Optional.empty(), payload, false, Optional.of(text));
    }

    /** The same entry (same id) with a payload encrypted again. */
    Outgoing withPayload(Bytes newPayload) {
        return new Outgoing(id, room, to, newPayload, plainText, applicationText);
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

    @Override
    public String toString() {
        return "Outgoing[" + id + " -> " + room + to.map(u -> " for " + u).orElse("") + ", " + payload.length()
                + " bytes" + (plainText ? ", plain text" : "") + (applicationText.isPresent() ? ", text kept" : "")
                + "]";
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
