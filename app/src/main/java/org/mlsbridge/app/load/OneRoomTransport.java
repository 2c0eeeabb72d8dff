package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * An MLS member's connection as its client reads it: the events of its own room only.
 *
 * <p>Both phases sign in the same accounts ({@link LoadRunner}), and on Matrix an account's
 * {@code /sync} carries all its rooms, so the MLS member's stream also holds the plain phase's
 * room. A {@code MemberClient} acts on every room it is handed: it would take each plain message
 * for a broken MLS message and refuse it (counted as dropped, logged, written to its store) at the
 * start of every MLS block. Here the other rooms' events are skipped instead. (An XMPP connection
 * follows only the rooms it joined: nothing to skip there.)
 *
 * <p>Skipped events move the stream on too: how far the connection read behind the last event
 * handed out is remembered, so the next poll from that event's cursor does not read them again.
 * A batch shorter than asked for still means the client has caught up: one that met other rooms'
 * events goes on reading, without waiting, until it is full or the stream is read to its end.
 */
final class OneRoomTransport extends ForwardingTransport {
    /** Longer waits are cut to this, which no poll of the load run comes near. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(1);

    /** A cursor handed out (or polled from) and where the connection really is after it. */
    private record Skip(Optional<Cursor> handedOut, Optional<Cursor> readTo) {
    }

    private final RoomId room;
    /** Written and read by the client's loop only; volatile as the loop's thread changes between blocks. */
    private volatile Skip skipped;

    OneRoomTransport(Transport inner, RoomId room) {
        super(inner);
        this.room = Objects.requireNonNull(room, "room");
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        Skip s = skipped;
        Optional<Cursor> at = s != null && s.handedOut().equals(after) ? s.readTo() : after;
        long deadline = System.nanoTime() + (wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait).toNanos();
        List<Delivery> mine = new ArrayList<>();
        while (true) {
            int asked = max - mine.size();
            List<Delivery> batch = inner().poll(at, asked, mine.isEmpty() ? remaining(deadline) : Duration.ZERO);
            for (Delivery d : batch) {
                at = Optional.of(d.cursor());
                if (d.event().room().equals(room)) {
                    mine.add(d);
                }
            }
            boolean readToEnd = batch.size() < asked;
            boolean waitOver = batch.isEmpty() || remaining(deadline).isZero();
            if (mine.size() == max || readToEnd && (!mine.isEmpty() || waitOver)) {
                break;
            }
        }
        Optional<Cursor> handedOut = mine.isEmpty() ? after : Optional.of(mine.getLast().cursor());
        skipped = handedOut.equals(at) ? null : new Skip(handedOut, at);
        return mine;
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
}
