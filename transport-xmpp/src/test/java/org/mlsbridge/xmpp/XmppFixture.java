package org.mlsbridge.xmpp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;

/** A running Prosody plus helpers: fresh accounts and rooms per test, transports closed at the end. */
final class XmppFixture implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    final ProsodyServer server;
    private final List<Transport> open = new ArrayList<>();

    XmppFixture() throws Exception {
        server = ProsodyServer.start();
    }

    /** A new account, {@code base} plus a number so tests never share an archive. */
    String newUser(String base) throws Exception {
        String name = base + COUNTER.incrementAndGet();
        server.register(name);
        return name;
    }

    static UserId userId(String name) {
        return new UserId("xmpp:" + name + "@" + ProsodyServer.DOMAIN);
    }

    XmppTransport connect(String user) throws Exception {
        XmppTransport t = XmppTransport.connect(server.account(user));
        synchronized (open) {
            open.add(t);
        }
        return t;
    }

    /** A members-only, non-anonymous room owned by {@code owner}, who is in it. */
    RoomId newRoom(XmppTransport owner) throws Exception {
        RoomId room = new RoomId("room" + COUNTER.incrementAndGet() + "@" + ProsodyServer.MUC);
        owner.join(room);
        owner.admin().configureForMls(room);
        return room;
    }

    /** Polls until {@code done} holds for everything received, or fails after {@code timeout}. */
    static List<Delivery> pollUntil(Transport t, Optional<Cursor> after, Predicate<List<RoomEvent>> done,
            Duration timeout) throws Exception {
        List<Delivery> got = new ArrayList<>();
        Optional<Cursor> cursor = after;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RoomEvent> events = got.stream().map(Delivery::event).toList();
            if (done.test(events)) {
                return got;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + t.self() + " got " + events);
            }
            List<Delivery> batch = t.poll(cursor, 500, Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                got.addAll(batch);
                cursor = Optional.of(batch.get(batch.size() - 1).cursor());
            }
        }
    }

    static List<RoomEvent.RoomMessage> messages(List<?> eventsOrDeliveries) {
        List<RoomEvent.RoomMessage> out = new ArrayList<>();
        for (Object o : eventsOrDeliveries) {
            Object e = o instanceof Delivery d ? d.event() : o;
            if (e instanceof RoomEvent.RoomMessage m) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        synchronized (open) {
            for (Transport t : open) {
                t.close();
            }
        }
        server.close();
    }
}
