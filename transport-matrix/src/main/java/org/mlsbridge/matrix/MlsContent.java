package org.mlsbridge.matrix;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The Matrix wire format of MLS traffic (docs/wire-formats.md, "Matrix"): event types, the JSON
 * content of each, and its strict validation. Nothing that fails these checks reaches MLS.
 */
final class MlsContent {
    /** Room event carrying one MLSMessage in the room's order. */
    static final String ROOM_EVENT = "org.mlsbridge.mls.message";
    /** To-device event carrying a Welcome. */
    static final String WELCOME_EVENT = "org.mlsbridge.mls.welcome";
    /** One-time-key algorithm name of KeyPackages; key ids are {@code ALGORITHM:hex(KeyPackageRef)}. */
    static final String KEY_ALGORITHM = "org.mlsbridge.mls.kp";
    static final String MLS = "mls";
    static final String ROOM_ID = "room_id";
    /** The homeserver's limit for a whole event (Matrix spec: 65536 bytes of canonical JSON). */
    static final int MAX_EVENT_BYTES = 65_536;
    /**
     * Room left for what the homeserver adds around the content (event id, sender, room id, hashes,
     * signatures, auth and prev events): content beyond {@code MAX_EVENT_BYTES - ENVELOPE_RESERVE}
     * is refused before sending.
     */
    static final int ENVELOPE_RESERVE = 2_048;
    static final int MAX_CONTENT_BYTES = MAX_EVENT_BYTES - ENVELOPE_RESERVE;
    /** Largest payload whose content {@code {"mls":"<base64>"}} fits in {@link #MAX_CONTENT_BYTES}. */
    static final int MAX_PAYLOAD_BYTES = (MAX_CONTENT_BYTES - "{\"mls\":\"\"}".length()) / 4 * 3;

    /** Content that is not what the wire format allows; the event is dropped and counted. */
    static final class MalformedContentException extends Exception {
        MalformedContentException(String reason) {
            super(reason);
        }
    }

    private MlsContent() {
    }

    /** {@code {"mls": base64(payload)}}; refuses a payload whose event would exceed the limit. */
    static JsonObject roomContent(Bytes payload) throws TransportException {
        checkSize(payload, "room message");
        JsonObject c = new JsonObject().put(MLS, Base64.getEncoder().encodeToString(payload.toByteArray()));
        int size = c.encode().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_CONTENT_BYTES) {
            throw new TransportException("event content of " + size + " bytes exceeds " + MAX_CONTENT_BYTES, false);
        }
        return c;
    }

    /** The value of a one-time or fallback key: base64 of the KeyPackage's MLSMessage. */
    static String keyValue(Bytes keyPackage) throws TransportException {
        checkSize(keyPackage, "KeyPackage");
        return Base64.getEncoder().encodeToString(keyPackage.toByteArray());
    }

    /** {@code {"mls": base64(welcome), "room_id": room}}. */
    static JsonObject welcomeContent(Bytes welcome, RoomId room) throws TransportException {
        checkSize(welcome, "Welcome");
        if (!MatrixIds.isRoomId(room.value())) {
            throw new TransportException("not a Matrix room id: " + room, false);
        }
        return new JsonObject().put(MLS, Base64.getEncoder().encodeToString(welcome.toByteArray()))
                .put(ROOM_ID, room.value());
    }

    private static void checkSize(Bytes payload, String what) throws TransportException {
        if (payload.isEmpty()) {
            throw new TransportException("empty " + what, false);
        }
        if (payload.length() > MAX_PAYLOAD_BYTES) {
            throw new TransportException(what + " of " + payload.length() + " bytes exceeds the Matrix event limit ("
                    + MAX_PAYLOAD_BYTES + " bytes of MLSMessage in a " + MAX_EVENT_BYTES + "-byte event)", false);
        }
    }

    /** The MLSMessage of a room event's content. */
    static Bytes parseRoomContent(Object content) throws MalformedContentException {
        JsonObject c = object(content);
        return payload(c.getValue(MLS));
    }

    record Welcome(Bytes welcome, RoomId room) {
    }

    /** The Welcome and room hint of a to-device event's content. */
    static Welcome parseWelcome(Object content) throws MalformedContentException {
        JsonObject c = object(content);
        Bytes w = payload(c.getValue(MLS));
        if (!(c.getValue(ROOM_ID) instanceof String room) || !MatrixIds.isRoomId(room)) {
            throw new MalformedContentException("room_id is not a room id");
        }
        return new Welcome(w, new RoomId(room));
    }

    /** The KeyPackage of a claimed one-time or fallback key value. */
    static Bytes parseKeyValue(Object value) throws MalformedContentException {
        return payload(value);
    }

    static String keyId(Bytes ref) {
        return KEY_ALGORITHM + ":" + ref.hex();
    }

    private static JsonObject object(Object content) throws MalformedContentException {
        if (!(content instanceof JsonObject c)) {
            throw new MalformedContentException("content is not a JSON object");
        }
        return c;
    }

    private static Bytes payload(Object value) throws MalformedContentException {
        if (!(value instanceof String s)) {
            throw new MalformedContentException("mls is not a string");
        }
        Bytes b = base64(s);
        if (b.isEmpty()) {
            throw new MalformedContentException("mls is empty");
        }
        if (b.length() > MAX_PAYLOAD_BYTES) {
            throw new MalformedContentException("mls is " + b.length() + " bytes, over " + MAX_PAYLOAD_BYTES);
        }
        return b;
    }

    /** Standard base64 with padding, canonical (unused bits zero), no whitespace. */
    static Bytes base64(String s) throws MalformedContentException {
        if (s.length() % 4 != 0 || s.length() > 4 * (MAX_PAYLOAD_BYTES / 3 + 1)) {
            throw new MalformedContentException("not padded base64 of an allowed length");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedContentException("not base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(raw).equals(s)) {
            throw new MalformedContentException("non-canonical base64");
        }
        return Bytes.wrap(raw);
    }
}
