package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A transport that times its sends and polls into a {@link TimeBook} under a role (who uses it,
 * on which network), so a run shows where its wall time went: in the servers' answers, or in
 * our own work between them; and tells a {@link PathTrace} when load messages pass it.
 */
final class TimedTransport extends ForwardingTransport {
    private final TimeBook book;
    private final String send;
    private final String poll;
    private final PathTrace trace;
    /** The member using it (an index into the tally's members), or -1 for the relay. */
    private final int member;

    /** The relay's connection. */
    static TimedTransport relay(Transport inner, TimeBook book, PathTrace trace) {
        return new TimedTransport(inner, book, "bridge", trace, -1);
    }

    /** Member {@code index}'s connection. */
    static TimedTransport member(Transport inner, TimeBook book, PathTrace trace, int index) {
        return new TimedTransport(inner, book, "member", trace, index);
    }

    private TimedTransport(Transport inner, TimeBook book, String role, PathTrace trace, int member) {
        super(inner);
        this.book = book;
        this.trace = trace;
        this.member = member;
        String network = inner.self().network().name().toLowerCase(java.util.Locale.ROOT);
        this.send = role + " " + network + " send";
        this.poll = role + " " + network + " poll";
    }

    /** The transport under any timing wrapper. */
    static Transport unwrap(Transport t) {
        return t instanceof TimedTransport timed ? timed.inner() : t;
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        int k = member >= 0 ? trace.memberPosting(payload) : -1;
        long t = System.nanoTime();
        try {
            ServerId got = inner().sendToRoom(room, id, payload);
            long now = System.nanoTime();
            if (member >= 0) {
                trace.memberPosted(k, now);
            } else {
                trace.relayPosted(payload, now);
            }
            return got;
        } finally {
            book.add(send, System.nanoTime() - t, 1);
        }
    }

    /** Counts the time until the answer; a poll's waiting for news is part of it (it is idle time). */
    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        long t = System.nanoTime();
        List<Delivery> out = List.of();
        try {
            out = inner().poll(after, max, wait);
            long now = System.nanoTime();
            if (member >= 0) {
                trace.memberPolled(member, out, now);
            } else {
                trace.relayPolled(out, now);
            }
            return out;
        } finally {
            book.add(poll, System.nanoTime() - t, out.size());
        }
    }
}
