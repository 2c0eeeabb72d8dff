package org.mlsbridge.xmpp.room;

import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;

/** One event of a room's log: an MLS message with its archive id, or a membership change. */
sealed interface RoomEntry {
    RoomEvent event();

    record Msg(String id, RoomEvent.RoomMessage event, Optional<String> originId) implements RoomEntry {
        UserId sender() {
            return event.sender();
        }
    }

    record Membership(RoomEvent event) implements RoomEntry {
    }
}
