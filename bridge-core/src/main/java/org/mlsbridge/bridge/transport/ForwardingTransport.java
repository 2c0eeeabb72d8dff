package org.mlsbridge.bridge.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A connection that passes every call to another, for wrappers that change or watch one or two
 * calls (a tap, a timer, a fault) and override only those.
 */
public abstract class ForwardingTransport implements Transport {
    private final Transport inner;

    protected ForwardingTransport(Transport inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The connection underneath. */
    protected final Transport inner() {
        return inner;
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
    public List<Bytes> claimKeyPackages(UserId user) throws TransportException {
        return inner.claimKeyPackages(user);
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        return inner.sendToRoom(room, id, payload);
    }

    @Override
    public ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException {
        return inner.sendTextToRoom(room, id, text);
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        inner.sendToUser(user, room, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        return inner.members(room);
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        return inner.poll(after, max, wait);
    }

    @Override
    public void close() {
        inner.close();
    }
}
