package org.mlsbridge.matrix;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A transport whose next room send reaches the server but whose answer is lost (as when the
 * process dies right after sending, before storing that it sent). Records every room send.
 */
final class AckLosingTransport implements Transport {
    record Sent(ClientMessageId id, ServerId serverId) {
    }

    private final Transport delegate;
    private final AtomicBoolean loseNext;
    private final List<Sent> sent;

    AckLosingTransport(Transport delegate, AtomicBoolean loseNext, CopyOnWriteArrayList<Sent> sent) {
        this.delegate = delegate;
        this.loseNext = loseNext;
        this.sent = sent;
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        ServerId s = delegate.sendToRoom(room, id, payload);
        sent.add(new Sent(id, s));
        if (loseNext.compareAndSet(true, false)) {
            throw new TransportException("acknowledgement lost (the server has the message)", true);
        }
        return s;
    }

    @Override
    public ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException {
        ServerId s = delegate.sendTextToRoom(room, id, text);
        sent.add(new Sent(id, s));
        if (loseNext.compareAndSet(true, false)) {
            throw new TransportException("acknowledgement lost (the server has the message)", true);
        }
        return s;
    }

    @Override
    public UserId self() {
        return delegate.self();
    }

    @Override
    public void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        delegate.publishKeyPackages(oneTime, lastResort);
    }

    @Override
    public int availableKeyPackages() throws TransportException {
        return delegate.availableKeyPackages();
    }

    @Override
    public void retractKeyPackage(Bytes ref) throws TransportException {
        delegate.retractKeyPackage(ref);
    }

    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        return delegate.claimKeyPackage(user);
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        delegate.sendToUser(user, room, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        return delegate.members(room);
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        return delegate.poll(after, max, wait);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
