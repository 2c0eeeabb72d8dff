package org.mlsbridge.app.connect;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A connection that also shows a watcher every message its server delivers from one room, in
 * the server's order with the sender the server names, before the caller gets it: what crossed
 * the network, for a transcript or a check. A message polled twice (from an older cursor) is
 * shown twice. Everything else passes through unchanged.
 */
public class TappedTransport implements Transport {
    private final Transport inner;
    private final RoomId room;
    private final Consumer<RoomEvent.RoomMessage> watcher;

    public TappedTransport(Transport inner, RoomId room, Consumer<RoomEvent.RoomMessage> watcher) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.room = Objects.requireNonNull(room, "room");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        List<Delivery> batch = inner.poll(after, max, wait);
        for (Delivery d : batch) {
            if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(room)) {
                watcher.accept(m);
            }
        }
        return batch;
    }

    @Override
    public UserId self() {
        return inner.self();
    }

    @Override
    public void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        inner.publishKeyPackages(oneTime, lastResort);
    }

    @Override
    public int availableKeyPackages() throws TransportException {
        return inner.availableKeyPackages();
    }

    @Override
    public void retractKeyPackage(Bytes ref) throws TransportException {
        inner.retractKeyPackage(ref);
    }

    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        return inner.claimKeyPackage(user);
    }

    @Override
    public ServerId sendToRoom(RoomId to, ClientMessageId id, Bytes payload) throws TransportException {
        return inner.sendToRoom(to, id, payload);
    }

    @Override
    public void sendToUser(UserId user, RoomId to, ClientMessageId id, Bytes welcome) throws TransportException {
        inner.sendToUser(user, to, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId of) throws TransportException {
        return inner.members(of);
    }

    @Override
    public void close() {
        inner.close();
    }
}
