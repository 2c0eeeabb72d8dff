package org.mlsbridge.app.connect;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * A connection that also shows a watcher every message its server delivers from one room, in
 * the server's order with the sender the server names, before the caller gets it: what crossed
 * the network, for a transcript or a check. A message polled twice (from an older cursor) is
 * shown twice. Everything else passes through unchanged.
 */
public class TappedTransport extends ForwardingTransport {
    private final RoomId room;
    private final Consumer<RoomEvent.RoomMessage> watcher;

    public TappedTransport(Transport inner, RoomId room, Consumer<RoomEvent.RoomMessage> watcher) {
        super(inner);
        this.room = Objects.requireNonNull(room, "room");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        List<Delivery> batch = inner().poll(after, max, wait);
        for (Delivery d : batch) {
            if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(room)) {
                watcher.accept(m);
            }
        }
        return batch;
    }
}
