package org.mlsbridge.matrix;

import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Turns Matrix events into {@link RoomEvent}s. Senders and members come only from fields the
 * homeserver sets ({@code sender}, {@code state_key}); content is checked by {@link MlsContent}, or
 * {@link PlainContent} for a chat client's text ({@code m.room.message} of msgtype {@code m.text}).
 * Events of other types give nothing; events of our types that fail a check are malformed
 * (dropped and counted by the caller).
 */
final class EventMapper {
    static final String MEMBER_EVENT = "m.room.member";

    /** The outcome for one event: a room event, nothing (not ours), or malformed with a reason. */
    record Mapped(Optional<RoomEvent> event, String malformed) {
        static final Mapped NOTHING = new Mapped(Optional.empty(), null);

        static Mapped of(RoomEvent e) {
            return new Mapped(Optional.of(e), null);
        }

        static Mapped malformed(String reason) {
            return new Mapped(Optional.empty(), reason);
        }
    }

    /** A change of one user's membership, as the state event says it. */
    record Membership(String user, String membership, String previous) {
    }

    private EventMapper() {
    }

    /** A timeline event of {@code room}. */
    static Mapped roomEvent(RoomId room, Object raw) {
        if (!(raw instanceof JsonObject ev) || !(ev.getValue("type") instanceof String type)) {
            return Mapped.malformed("event without a type");
        }
        if (!type.equals(MlsContent.ROOM_EVENT) && !type.equals(MEMBER_EVENT) && !type.equals(PlainContent.EVENT)) {
            return Mapped.NOTHING;
        }
        if (!(ev.getValue("sender") instanceof String sender) || MatrixIds.userIfValid(sender).isEmpty()) {
            return Mapped.malformed("sender is not a user id");
        }
        if (!(ev.getValue("event_id") instanceof String eventId) || !isEventId(eventId)) {
            return Mapped.malformed("event_id is not an event id");
        }
        if (type.equals(MEMBER_EVENT)) {
            Optional<Membership> m = membership(ev);
            if (m.isEmpty()) {
                return Mapped.malformed("m.room.member without a user state_key and a membership");
            }
            return member(room, m.get());
        }
        if (ev.containsKey("state_key")) {
            return Mapped.malformed(type + " sent as a state event");
        }
        if (type.equals(PlainContent.EVENT)) {
            try {
                return PlainContent.text(ev.getValue("content")).map(text -> Mapped.of(new RoomEvent.PlainMessage(room,
                        MatrixIds.user(sender), new ServerId(eventId), text))).orElse(Mapped.NOTHING);
            } catch (MlsContent.MalformedContentException e) {
                return Mapped.malformed(e.getMessage());
            }
        }
        try {
            Bytes payload = MlsContent.parseRoomContent(ev.getValue("content"));
            return Mapped.of(new RoomEvent.RoomMessage(room, MatrixIds.user(sender), new ServerId(eventId), payload));
        } catch (MlsContent.MalformedContentException e) {
            return Mapped.malformed(e.getMessage());
        }
    }

    /**
     * Membership transitions that change who is in the room: into {@code join} from anything else,
     * and out of {@code join} by {@code leave} (left or kicked) or {@code ban}. Profile changes
     * (join to join), invites, knocks, rejected invites and unbans change nothing.
     */
    private static Mapped member(RoomId room, Membership m) {
        boolean wasJoined = "join".equals(m.previous());
        return switch (m.membership()) {
            case "join" -> wasJoined ? Mapped.NOTHING
                    : Mapped.of(new RoomEvent.MemberJoined(room, MatrixIds.user(m.user())));
            case "leave" -> wasJoined ? Mapped.of(new RoomEvent.MemberLeft(room, MatrixIds.user(m.user())))
                    : Mapped.NOTHING;
            case "ban" -> wasJoined ? Mapped.of(new RoomEvent.MemberBanned(room, MatrixIds.user(m.user())))
                    : Mapped.NOTHING;
            default -> Mapped.NOTHING;
        };
    }

    /** The membership change of an {@code m.room.member} event, if well-formed. */
    static Optional<Membership> membership(Object raw) {
        if (!(raw instanceof JsonObject ev) || !MEMBER_EVENT.equals(ev.getValue("type"))
                || !(ev.getValue("state_key") instanceof String user) || MatrixIds.userIfValid(user).isEmpty()
                || !(ev.getValue("content") instanceof JsonObject content)
                || !(content.getValue("membership") instanceof String membership)) {
            return Optional.empty();
        }
        String previous = "leave";
        if (ev.getValue("unsigned") instanceof JsonObject unsigned
                && unsigned.getValue("prev_content") instanceof JsonObject prev
                && prev.getValue("membership") instanceof String p) {
            previous = p;
        }
        return Optional.of(new Membership(user, membership, previous));
    }

    /** A to-device event: a Welcome, nothing, or malformed. */
    static Mapped toDeviceEvent(Object raw) {
        if (!(raw instanceof JsonObject ev) || !(ev.getValue("type") instanceof String type)) {
            return Mapped.malformed("to-device event without a type");
        }
        if (!type.equals(MlsContent.WELCOME_EVENT)) {
            return Mapped.NOTHING;
        }
        if (!(ev.getValue("sender") instanceof String sender) || MatrixIds.userIfValid(sender).isEmpty()) {
            return Mapped.malformed("sender is not a user id");
        }
        try {
            MlsContent.Welcome w = MlsContent.parseWelcome(ev.getValue("content"));
            // To-device events have no id; the sender and the bytes identify one, in every replay.
            ServerId id = new ServerId("welcome:" + sender + ":" + sha256(w.welcome()));
            return Mapped.of(new RoomEvent.WelcomeReceived(w.room(), MatrixIds.user(sender), id, w.welcome()));
        } catch (MlsContent.MalformedContentException e) {
            return Mapped.malformed(e.getMessage());
        }
    }

    /** The event id of an event object, if it has a well-formed one. */
    static Optional<String> eventId(Object raw) {
        if (raw instanceof JsonObject ev && ev.getValue("event_id") instanceof String id && isEventId(id)) {
            return Optional.of(id);
        }
        return Optional.empty();
    }

    static boolean isEventId(String s) {
        if (s.length() < 2 || s.length() > MatrixIds.MAX_ID_BYTES || s.charAt(0) != '$') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(Bytes b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
