package org.mlsbridge.app.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * A connection that also keeps every message its server delivered from one room, in the server's
 * order with the sender the server names: the transcript's view of what crossed a network. Put
 * on the relay's connections, which follow each room from before the group exists.
 */
final class WireTap implements Transport {
    private final Transport inner;
    private final RoomId room;
    private final List<RoomEvent.RoomMessage> seen = new ArrayList<>();
    private final Set<ServerId> ids = new HashSet<>();

    WireTap(Transport inner, RoomId room) {
        this.inner = inner;
        this.room = room;
    }

    /** The room's messages delivered so far, each once. */
    synchronized List<RoomEvent.RoomMessage> messages() {
        return List.copyOf(seen);
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        List<Delivery> batch = inner.poll(after, max, wait);
        synchronized (this) {
            for (Delivery d : batch) {
                if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(room) && ids.add(m.serverId())) {
                    seen.add(m);
                }
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
