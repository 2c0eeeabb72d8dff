package org.mlsbridge.app.faults;

import org.mlsbridge.app.connect.TappedTransport;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;

/** A transport that hands every room message it delivers to a {@link WireLedger} as well. */
final class RecordingTransport extends TappedTransport {
    RecordingTransport(Transport inner, RoomId room, WireLedger ledger) {
        super(inner, room, m -> ledger.delivered(m.serverId().value(), m.payload()));
    }
}
