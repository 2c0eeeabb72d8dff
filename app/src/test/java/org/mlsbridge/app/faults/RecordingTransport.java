package org.mlsbridge.app.faults;

import java.time.Duration;
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

/** A transport that hands every room message it delivers to a {@link WireLedger} as well. */
final class RecordingTransport implements Transport {
    private final Transport inner;
    private final RoomId room;
    private final WireLedger ledger;

    RecordingTransport(Transport inner, RoomId room, WireLedger ledger) {
        this.inner = inner;
        this.room = room;
        this.ledger = ledger;
    }

    Transport inner() {
        return inner;
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        List<Delivery> batch = inner.poll(after, max, wait);
        for (Delivery d : batch) {
            if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(room)) {
                ledger.delivered(m.serverId().value(), m.payload());
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
    public ServerId sendToRoom(RoomId r, ClientMessageId id, Bytes payload) throws TransportException {
        return inner.sendToRoom(r, id, payload);
    }

    @Override
    public void sendToUser(UserId user, RoomId r, ClientMessageId id, Bytes welcome) throws TransportException {
        inner.sendToUser(user, r, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId r) throws TransportException {
        return inner.members(r);
    }

    @Override
    public void close() {
        inner.close();
    }
}
