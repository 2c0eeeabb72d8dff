package org.mlsbridge.bridge.manager;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;

/**
 * One refused event, for operators: where it came from and why, never its content.
 *
 * @param serverId the transport's id of the message (empty for events without one)
 */
public record DroppedEvent(RoomId room, Optional<String> serverId, DropReason reason, Instant at) {
    public DroppedEvent {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
