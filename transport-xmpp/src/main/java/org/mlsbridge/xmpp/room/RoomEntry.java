package org.mlsbridge.xmpp.room;

import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;

/** One event of a room's log: a message (MLS or plain text) with its archive id, or a membership change. */
sealed interface RoomEntry {
    RoomEvent event();

    /** @param event a {@link RoomEvent.RoomMessage} or a {@link RoomEvent.PlainMessage} */
    record Msg(String id, RoomEvent event, Optional<String> originId) implements RoomEntry {
        public Msg {
            if (!(event instanceof RoomEvent.RoomMessage) && !(event instanceof RoomEvent.PlainMessage)) {
                throw new IllegalArgumentException("not a room message: " + event.getClass().getSimpleName());
            }
        }

        UserId sender() {
            return event instanceof RoomEvent.RoomMessage m ? m.sender() : ((RoomEvent.PlainMessage) event).sender();
        }
    }

    record Membership(RoomEvent event) implements RoomEntry {
    }
}
