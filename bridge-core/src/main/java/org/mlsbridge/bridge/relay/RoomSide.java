package org.mlsbridge.bridge.relay;

import java.util.Objects;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;

/**
 * One room of a bridged pair and the bridge's own connection to its network; the bridge account
 * ({@code transport.self()}) must be a member of the room.
 */
public record RoomSide(RoomId room, Transport transport) {
    public RoomSide {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(transport, "transport");
    }
}
