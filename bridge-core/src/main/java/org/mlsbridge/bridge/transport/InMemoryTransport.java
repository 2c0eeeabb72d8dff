package org.mlsbridge.bridge.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;

/** One connection to an {@link InMemoryNetwork}; closing it is how tests take a client offline. */
public final class InMemoryTransport implements Transport {
    private final InMemoryNetwork network;
    private final UserId self;
    private volatile boolean closed;

    InMemoryTransport(InMemoryNetwork network, UserId self) {
        this.network = Objects.requireNonNull(network, "network");
        this.self = Objects.requireNonNull(self, "self");
    }

    @Override
    public UserId self() {
        return self;
    }

    @Override
    public void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        open();
        network.publish(self, List.copyOf(oneTime), lastResort);
    }

    @Override
    public int availableKeyPackages() throws TransportException {
        open();
        return network.available(self);
    }

    @Override
    public void retractKeyPackage(Bytes ref) throws TransportException {
        open();
        network.retract(self, ref);
    }

    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        open();
        return network.claim(user);
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        open();
        return network.sendToRoom(self, room, id, payload);
    }

    @Override
    public ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException {
        open();
        return network.sendTextToRoom(self, room, id, text);
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        open();
        network.sendToUser(self, user, room, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        open();
        return network.members(room);
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        open();
        return network.poll(self, after, max, wait);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void open() throws TransportException {
        if (closed) {
            throw new TransportException("connection of " + self + " is closed", false);
        }
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + self + (closed ? ", closed" : "") + "]";
    }
}
