package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.DropReason;
import org.mlsbridge.bridge.manager.InMemoryClientStore;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * An account in both phases' rooms, as on Matrix where one poll carries all of an account's
 * rooms: its MLS member reads its own room only, without reading the rest twice or taking a batch
 * shortened by the other room for the end of the stream.
 */
class OneRoomTransportTest {
    private static final UserId ME = UserId.matrix("@me:hs.test");
    private static final UserId OTHER = UserId.matrix("@other:hs.test");
    private static final RoomId MLS_ROOM = new RoomId("!mls:hs.test");
    private static final RoomId PLAIN_ROOM = new RoomId("!plain:hs.test");

    private final InMemoryNetwork server = new InMemoryNetwork();
    private final Transport other = server.connect(OTHER);
    /** Events the connection underneath handed out, skipped ones included. */
    private final AtomicLong readUnderneath = new AtomicLong();
    private final OneRoomTransport mine = new OneRoomTransport(new ForwardingTransport(server.connect(ME)) {
        @Override
        public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
                throws TransportException, InterruptedException {
            List<Delivery> got = super.poll(after, max, wait);
            readUnderneath.addAndGet(got.size());
            return got;
        }
    }, MLS_ROOM);
    private int sent;

    @BeforeEach
    void bothUsersInBothRooms() {
        for (RoomId room : List.of(MLS_ROOM, PLAIN_ROOM)) {
            server.join(room, ME);
            server.join(room, OTHER);
        }
    }

    private void post(RoomId room, String text) throws TransportException {
        other.sendToRoom(room, new ClientMessageId("m" + sent++), Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(List<Delivery> batch) {
        return batch.stream().map(Delivery::event).filter(RoomEvent.RoomMessage.class::isInstance)
                .map(e -> new String(((RoomEvent.RoomMessage) e).payload().toByteArray(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Reads everything there is now; the cursor after it. */
    private Optional<Cursor> readAll(Optional<Cursor> from) throws Exception {
        Optional<Cursor> at = from;
        while (true) {
            List<Delivery> b = mine.poll(at, 100, Duration.ZERO);
            if (b.isEmpty()) {
                return at;
            }
            at = Optional.of(b.getLast().cursor());
        }
    }

    @Test
    void handsOutItsOwnRoomsEventsOnlyInTheirOrder() throws Exception {
        post(MLS_ROOM, "a");
        post(PLAIN_ROOM, "x");
        post(MLS_ROOM, "b");
        post(PLAIN_ROOM, "y");

        List<Delivery> got = mine.poll(Optional.empty(), 100, Duration.ZERO);

        assertThat(got).extracting(d -> d.event().room()).containsOnly(MLS_ROOM);
        assertThat(got).extracting(Delivery::event).filteredOn(RoomEvent.MemberJoined.class::isInstance)
                .hasSize(2);
        assertThat(texts(got)).containsExactly("a", "b");
    }

    @Test
    void theOtherRoomsEventsAreReadOnce() throws Exception {
        Optional<Cursor> at = readAll(Optional.empty());
        post(MLS_ROOM, "a");
        post(PLAIN_ROOM, "x");
        post(PLAIN_ROOM, "y");
        List<Delivery> got = mine.poll(at, 100, Duration.ZERO);
        assertThat(texts(got)).containsExactly("a");
        long before = readUnderneath.get();

        assertThat(mine.poll(Optional.of(got.getLast().cursor()), 100, Duration.ZERO)).isEmpty();
        assertThat(readUnderneath.get()).as("x and y not read again").isEqualTo(before);

        post(MLS_ROOM, "b");
        assertThat(texts(mine.poll(Optional.of(got.getLast().cursor()), 100, Duration.ZERO))).containsExactly("b");
        assertThat(readUnderneath.get()).as("b only").isEqualTo(before + 1);
    }

    @Test
    void aBatchShorterThanAskedStillMeansTheStreamIsReadToItsEnd() throws Exception {
        Optional<Cursor> at = readAll(Optional.empty());
        post(PLAIN_ROOM, "x");
        post(MLS_ROOM, "a");
        post(PLAIN_ROOM, "y");
        post(MLS_ROOM, "b");
        post(MLS_ROOM, "c");

        List<Delivery> first = mine.poll(at, 2, Duration.ZERO);
        assertThat(texts(first)).as("full, across the other room's events").containsExactly("a", "b");
        List<Delivery> second = mine.poll(Optional.of(first.getLast().cursor()), 2, Duration.ZERO);
        assertThat(texts(second)).containsExactly("c");
        assertThat(mine.poll(Optional.of(second.getLast().cursor()), 2, Duration.ZERO)).isEmpty();
    }

    @Test
    void anotherRoomsEventDoesNotEndTheWaitForItsOwn() throws Exception {
        Optional<Cursor> at = readAll(Optional.empty());
        post(PLAIN_ROOM, "x");
        Thread poster = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                post(MLS_ROOM, "a");
            } catch (InterruptedException | TransportException e) {
                throw new IllegalStateException(e);
            }
        });

        List<Delivery> got = mine.poll(at, 100, Duration.ofSeconds(10));

        assertThat(texts(got)).containsExactly("a");
        poster.join();
    }

    @Test
    void anMlsClientOfASharedAccountRefusesNothingOfTheOtherPhasesRoom() throws Exception {
        // beside it, for comparison, another account in its own group's room and the plain room, read as it is
        UserId twin = UserId.matrix("@twin:hs.test");
        RoomId twinsRoom = new RoomId("!twin:hs.test");
        server.join(twinsRoom, twin);
        server.join(PLAIN_ROOM, twin);
        try (MemberClient scoped = new MemberClient(mine, new InMemoryClientStore(), ClientOptions.DEFAULT);
                MemberClient bare = new MemberClient(server.connect(twin), new InMemoryClientStore(),
                        ClientOptions.DEFAULT)) {
            scoped.createGroup(MLS_ROOM, List.of());
            bare.createGroup(twinsRoom, List.of());
            // what the plain phase posts: not an MLS message
            other.sendToRoom(PLAIN_ROOM, new ClientMessageId("plain"), Payloads.of(0, 100));
            scoped.drain(Duration.ofMillis(50));
            bare.drain(Duration.ofMillis(50));

            assertThat(bare.counters().dropped(DropReason.UNDECODABLE)).as("read as it is").isEqualTo(1);
            assertThat(scoped.counters().droppedMessages()).isZero();
            assertThat(scoped.droppedEvents()).isEmpty();
        }
    }
}
