package org.mlsbridge.app.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.relay.PostWindow;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.relay.SideReader;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The load run's baseline bridge: copies every room message of one room into the other, as it is,
 * with no MLS. It runs the same loop as {@code BridgeRelay} (both rooms on one thread, up to
 * {@value #POSTS_IN_FLIGHT} posts in flight in a {@link PostWindow}, both cursors saved in one
 * store transaction once the turn's posts were answered, posts idempotent by an id derived from
 * the source event), so what the MLS run adds over it is MLS and the MLS bridge's checks.
 */
final class PlainRelay implements AutoCloseable {
    private static final String[] NAMES = {"a", "b"};
    /** As {@code BridgeRelay}'s. */
    static final int POSTS_IN_FLIGHT = 16;

    private final RoomSide[] sides;
    private final ClientStore store;
    private final PostWindow posts = new PostWindow(POSTS_IN_FLIGHT);
    private final Cursor[] unsaved = new Cursor[2];
    private final AtomicLong relayed = new AtomicLong();

    private final SideReader reader;

    PlainRelay(RoomSide a, RoomSide b, ClientStore store) {
        this.sides = new RoomSide[] {a, b};
        this.store = store;
        this.reader = new SideReader(a, b);
    }

    long relayed() {
        return relayed.get();
    }

    /** One turn over both rooms, as {@code BridgeRelay.step}. */
    int step(int max, Duration wait) throws TransportException, InterruptedException {
        boolean done = false;
        try {
            int handled = reader.turn(wait, (i, w) -> stepSide(i, max, w));
            posts.awaitAll();
            saveCursors();
            done = true;
            return handled;
        } finally {
            if (!done) {
                posts.abandon();
                unsaved[0] = null;
                unsaved[1] = null;
            }
        }
    }

    private static String cursorKey(int i) {
        return "plain-relay:cursor:" + NAMES[i];
    }

    private int stepSide(int i, int max, Duration wait) throws TransportException, InterruptedException {
        Optional<Cursor> cursor = unsaved[i] != null ? Optional.of(unsaved[i])
                : store.transaction(tx -> tx.blob(cursorKey(i)))
                        .map(b -> new Cursor(new String(b.toByteArray(), StandardCharsets.UTF_8)));
        List<Delivery> batch = sides[i].transport().poll(cursor, max, wait);
        for (Delivery d : batch) {
            // in the load run the account is the MLS bridge's too: on Matrix the poll also
            // carries the MLS room, whose messages are not this relay's to copy
            if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(sides[i].room())
                    && !m.sender().equals(sides[i].transport().self())) {
                RoomSide other = sides[1 - i];
                ClientMessageId id = messageId(NAMES[i] + "/" + m.serverId().value());
                posts.submit(m.sender(), () -> {
                    other.transport().sendToRoom(other.room(), id, m.payload());
                    relayed.incrementAndGet();
                });
            }
            unsaved[i] = d.cursor();
        }
        return batch.size();
    }

    private void saveCursors() {
        if (unsaved[0] == null && unsaved[1] == null) {
            return;
        }
        store.transaction(tx -> {
            for (int i = 0; i < 2; i++) {
                if (unsaved[i] != null) {
                    tx.putBlob(cursorKey(i), Bytes.wrap(unsaved[i].value().getBytes(StandardCharsets.UTF_8)));
                }
            }
            return null;
        });
        unsaved[0] = null;
        unsaved[1] = null;
    }

    private static ClientMessageId messageId(String source) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("plain\n" + source).getBytes(StandardCharsets.UTF_8));
            return new ClientMessageId("plain-" + HexFormat.of().formatHex(h, 0, 20));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public void close() {
        posts.close();
        for (RoomSide s : sides) {
            s.transport().close();
        }
        store.close();
    }
}
