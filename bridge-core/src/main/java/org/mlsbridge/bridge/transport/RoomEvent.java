package org.mlsbridge.bridge.transport;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;

/**
 * What a transport reports, in stream order. Consumers switch over the variants exhaustively.
 */
public sealed interface RoomEvent {
    /** The room the event belongs to. */
    RoomId room();

    /**
     * A message in the room's total order, delivered to every member present when it was sent,
     * the sender included.
     *
     * @param payload the bytes exactly as sent (an encoded MLSMessage for the manager); may be
     *     hostile
     */
    record RoomMessage(RoomId room, UserId sender, ServerId serverId, Bytes payload) implements RoomEvent {
        public RoomMessage {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(serverId, "serverId");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * A room message without MLS content: the text a chat client without MLS posted (an XMPP
     * groupchat {@code <body>}, a Matrix {@code m.text}), in the room's order like any message.
     * The sender is the one the server authenticated; the text is hostile, never trusted for names,
     * and at most {@link #MAX_TEXT_BYTES} bytes of UTF-8 (a transport drops and counts longer ones).
     */
    record PlainMessage(RoomId room, UserId sender, ServerId serverId, String text) implements RoomEvent {
        /** 16 KiB: room for any typed message, and its MLS encryption still fits every network. */
        public static final int MAX_TEXT_BYTES = 16_384;

        public PlainMessage {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(serverId, "serverId");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "PlainMessage[room=" + room + ", sender=" + sender + ", serverId=" + serverId + ", "
                    + text.length() + " chars]";
        }
    }

    /** {@code user} became a member of the room (MUC occupant/affiliation, m.room.member join). */
    record MemberJoined(RoomId room, UserId user) implements RoomEvent {
        public MemberJoined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    /** {@code user} left the room of its own accord (or was kicked without a ban). */
    record MemberLeft(RoomId room, UserId user) implements RoomEvent {
        public MemberLeft {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    /** {@code user} was banned (outcast); it cannot rejoin until unbanned. */
    record MemberBanned(RoomId room, UserId user) implements RoomEvent {
        public MemberBanned {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * A Welcome sent to this client with {@link Transport#sendToUser}; not part of the room's
     * order.
     *
     * @param room the room the sender named; a hint, the Welcome's group id is authoritative
     * @param welcome the bytes exactly as sent (an encoded MLSMessage); may be hostile
     */
    record WelcomeReceived(RoomId room, UserId sender, ServerId serverId, Bytes welcome) implements RoomEvent {
        public WelcomeReceived {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(serverId, "serverId");
            Objects.requireNonNull(welcome, "welcome");
        }
    }
}
