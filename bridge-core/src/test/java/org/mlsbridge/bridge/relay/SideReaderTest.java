package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.ReadAhead;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/** A relay's turn over its two rooms: what it waits for when neither had anything. */
class SideReaderTest {
    private static final RoomId ROOM_A = new RoomId("chat@muc.example.org");
    private static final RoomId ROOM_B = new RoomId("!chat:example.org");
    private static final UserId BRIDGE_A = UserId.xmpp("bridge@example.org");
    private static final UserId BRIDGE_B = UserId.matrix("@bridge:example.org");
    private static final UserId BOB = UserId.matrix("@bob:example.org");

    private final InMemoryNetwork a = new InMemoryNetwork();
    private final InMemoryNetwork b = new InMemoryNetwork();
    private final List<Transport> opened = new ArrayList<>();
    /** Per side, the cursor after the last event read, and which side each message came from. */
    private final List<Optional<Cursor>> cursors = new ArrayList<>(List.of(Optional.empty(), Optional.empty()));
    private final List<String> read = new ArrayList<>();

    SideReaderTest() {
        a.join(ROOM_A, BRIDGE_A);
        b.join(ROOM_B, BRIDGE_B);
        b.join(ROOM_B, BOB);
    }

    @AfterEach
    void close() {
        opened.forEach(Transport::close);
    }

    @Test
    void withReadAheadNewsOfTheSecondSideEndsTheWait() throws Exception {
        ReadAhead ahead = new ReadAhead(Duration.ofSeconds(2));
        List<RoomSide> sides = sides(ahead.wrap(open(a, BRIDGE_A)), ahead.wrap(open(b, BRIDGE_B)));
        SideReader reader = new SideReader(sides.get(0), sides.get(1));
        assertThat(reader.waitsForBoth()).isTrue();
        catchUp(reader, sides);

        Thread sender = postLater(Duration.ofMillis(200), "m1");
        long t = System.nanoTime();
        int handled = reader.turn(Duration.ofSeconds(30), (i, w) -> step(sides, i, w));
        long tookMs = (System.nanoTime() - t) / 1_000_000;
        sender.join();

        assertThat(handled).isEqualTo(1);
        assertThat(read).containsExactly("b:m1");
        assertThat(tookMs).as("woken by the news, not by the end of the 30 s wait").isLessThan(10_000);
    }

    @Test
    void withoutReadAheadATurnWaitsOnTheFirstSideOnly() throws Exception {
        List<RoomSide> sides = sides(open(a, BRIDGE_A), open(b, BRIDGE_B));
        SideReader reader = new SideReader(sides.get(0), sides.get(1));
        assertThat(reader.waitsForBoth()).isFalse();
        catchUp(reader, sides);

        Thread sender = postLater(Duration.ofMillis(100), "m1");
        int handled = reader.turn(Duration.ofMillis(600), (i, w) -> step(sides, i, w));
        sender.join();
        assertThat(handled).as("room B's message waits for the next turn").isZero();
        assertThat(reader.turn(Duration.ZERO, (i, w) -> step(sides, i, w))).isEqualTo(1);
        assertThat(read).containsExactly("b:m1");
    }

    @Test
    void aTurnWithoutWaitingLooksOnceAtEachSide() throws Exception {
        ReadAhead ahead = new ReadAhead(Duration.ofSeconds(2));
        List<RoomSide> sides = sides(ahead.wrap(open(a, BRIDGE_A)), ahead.wrap(open(b, BRIDGE_B)));
        SideReader reader = new SideReader(sides.get(0), sides.get(1));
        List<Integer> looked = new ArrayList<>();
        reader.turn(Duration.ZERO, (i, w) -> {
            looked.add(i);
            assertThat(w).isEqualTo(Duration.ZERO);
            return 0;
        });
        assertThat(looked).containsExactly(0, 1);
    }

    private Transport open(InMemoryNetwork network, UserId user) {
        Transport t = network.connect(user);
        opened.add(t);
        return t;
    }

    private List<RoomSide> sides(Transport first, Transport second) {
        opened.add(first);
        opened.add(second);
        return List.of(new RoomSide(ROOM_A, first), new RoomSide(ROOM_B, second));
    }

    /** Reads the joins until both sides are quiet, then forgets them. */
    private void catchUp(SideReader reader, List<RoomSide> sides) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cursors.contains(Optional.<Cursor>empty()) && System.nanoTime() < end) {
            reader.turn(Duration.ofMillis(50), (i, w) -> step(sides, i, w));
        }
        assertThat(cursors).doesNotContain(Optional.empty());
        read.clear();
    }

    private int step(List<RoomSide> sides, int i, Duration wait) throws TransportException, InterruptedException {
        List<Delivery> batch = sides.get(i).transport().poll(cursors.get(i), 100, wait);
        for (Delivery d : batch) {
            if (d.event() instanceof RoomEvent.RoomMessage m) {
                read.add((i == 0 ? "a:" : "b:") + new String(m.payload().toByteArray()));
            }
            cursors.set(i, Optional.of(d.cursor()));
        }
        return batch.size();
    }

    private Thread postLater(Duration delay, String text) {
        Transport bob = open(b, BOB);
        return Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(delay.toMillis());
                bob.sendToRoom(ROOM_B, new ClientMessageId("id-" + text), Bytes.wrap(text.getBytes()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
