package org.mlsbridge.bridge.manager;

import java.util.Objects;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * An application message as the application sees it.
 *
 * @param id the server id of the room message that carried it (unique per room)
 * @param sender who wrote it: the MLS sender, or for a gatewayed legacy message the legacy user
 * @param endToEndEncrypted false when a member-mode bot relayed it from a legacy plaintext user:
 *     the server and the bot saw it in the clear
 */
public record ReceivedMessage(String id, RoomId room, UserId sender, Bytes text, boolean endToEndEncrypted) {
    public ReceivedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return "ReceivedMessage[" + id + " in " + room + " from " + sender + (endToEndEncrypted ? "" : " (NOT E2EE)")
                + ", " + text.length() + " bytes redacted]";
    }
}
