package org.mlsbridge.bridge.relay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A connection whose room posts are slow like a busy server's: each waits (up to {@code hold})
 * until {@code together} posts are in flight at once, then all go through. It records the most
 * posts it saw in flight at once.
 */
final class GatedTransport implements Transport {
    private final Transport inner;
    private volatile Duration hold;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private volatile CountDownLatch gate;

    GatedTransport(Transport inner, int together, Duration hold) {
        this.inner = inner;
        this.hold = hold;
        this.gate = new CountDownLatch(together);
    }

    /** Posts from now on wait for {@code together} of them in flight. */
    void regate(int together) {
        gate = new CountDownLatch(together);
        most.set(0);
    }

    /** How long a post waits at most for the others. */
    void hold(Duration d) {
        hold = d;
    }

    int mostInFlight() {
        return most.get();
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        int now = active.incrementAndGet();
        most.accumulateAndGet(now, Math::max);
        try {
            CountDownLatch g = gate;
            g.countDown();
            g.await(hold.toMillis(), TimeUnit.MILLISECONDS);
            return inner.sendToRoom(room, id, payload);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", true, e);
        } finally {
            active.decrementAndGet();
        }
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
