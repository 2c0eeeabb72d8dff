package org.mlsbridge.bridge.relay;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A connection whose room posts are slow like a busy server's: each waits (up to {@code hold})
 * until {@code together} posts are in flight at once, then all go through. It records the most
 * posts it saw in flight at once.
 */
final class GatedTransport extends ForwardingTransport {
    private volatile Duration hold;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private volatile CountDownLatch gate;

    GatedTransport(Transport inner, int together, Duration hold) {
        super(inner);
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
            return inner().sendToRoom(room, id, payload);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", true, e);
        } finally {
            active.decrementAndGet();
        }
    }
}
