package org.mlsbridge.app.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mlsbridge.app.connect.TappedTransport;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;

/**
 * The transcript's view of what crossed one network: every message the server delivered from the
 * room to the relay's connection (which follows the room from before the group exists), each once,
 * in the server's order with the sender the server names.
 */
final class WireTap {
    private final List<RoomEvent.RoomMessage> seen = new ArrayList<>();
    private final Set<ServerId> ids = new HashSet<>();
    private final Transport transport;

    WireTap(Transport relayConnection, RoomId room) {
        this.transport = new TappedTransport(relayConnection, room, this::delivered);
    }

    /** The relay's connection, watched. */
    Transport transport() {
        return transport;
    }

    private synchronized void delivered(RoomEvent.RoomMessage m) {
        if (ids.add(m.serverId())) {
            seen.add(m);
        }
    }

    /** The room's messages delivered so far, each once. */
    synchronized List<RoomEvent.RoomMessage> messages() {
        return List.copyOf(seen);
    }
}
