package org.mlsbridge.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;

/** A connection reading ahead keeps the stream's contract and wakes its reader on news. */
class ReadAheadTransportTest {
    private static final Duration LONG_POLL = Duration.ofMillis(300);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final RoomId ROOM = new RoomId("room@muc.example.org");
    private static final UserId ALICE = UserId.xmpp("alice@example.org");
    private static final UserId BOB = UserId.xmpp("bob@example.org");

    private final InMemoryNetwork network = new InMemoryNetwork();
    private final Transport alice = network.connect(ALICE);

    ReadAheadTransportTest() {
        network.createRoom(ROOM);
        network.join(ROOM, ALICE);
        network.join(ROOM, BOB);
    }

    @Test
    void handsOverWhatTheStreamHoldsAndReadsOnFromWhereItEnds() throws Exception {
        Transport plain = network.connect(BOB);
        try (ReadAheadTransport bob = new ReadAhead(LONG_POLL).wrap(network.connect(BOB))) {
            List<Delivery> joins = bob.poll(Optional.empty(), 100, PATIENCE);
            assertThat(joins).isEqualTo(plain.poll(Optional.empty(), 100, Duration.ZERO));
            Optional<Cursor> after = Optional.of(joins.getLast().cursor());

            send("m1");
            List<Delivery> next = bob.poll(after, 100, PATIENCE);
            assertThat(texts(next)).containsExactly("m1");
            assertThat(next).isEqualTo(plain.poll(after, 100, Duration.ZERO));
        }
    }

    @Test
    void aPollWithoutWaitingReturnsAtOnceAndTheSignalTellsWhenNewsCame() throws Exception {
        ReadAhead ahead = new ReadAhead(LONG_POLL);
        try (ReadAheadTransport bob = ahead.wrap(network.connect(BOB))) {
            Optional<Cursor> after = Optional.of(bob.poll(Optional.empty(), 100, PATIENCE).getLast().cursor());
            long mark = ahead.mark();
            assertThat(bob.poll(after, 100, Duration.ZERO)).isEmpty();
            assertThat(ahead.await(mark, Duration.ofMillis(50))).isFalse();

            send("m1");
            assertThat(ahead.await(mark, PATIENCE)).isTrue();
            assertThat(texts(bob.poll(after, 100, Duration.ZERO))).containsExactly("m1");
        }
    }

    @Test
    void anAnswerTakenIsNeverNewsAfterwards() throws Exception {
        // The answer's announcement used to come after the reader could take the answer, so a
        // mark taken right after it sometimes woke the reader for nothing (seen under CI load).
        for (int i = 0; i < 300; i++) {
            ReadAhead ahead = new ReadAhead(LONG_POLL);
            try (ReadAheadTransport bob = ahead.wrap(network.connect(BOB))) {
                assertThat(bob.poll(Optional.empty(), 100, PATIENCE)).isNotEmpty();
                long mark = ahead.mark();
                assertThat(ahead.await(mark, Duration.ZERO)).as("news after the answer was taken, try " + i)
                        .isFalse();
            }
        }
    }

    @Test
    void aReaderThatGoesBackReadsFromTheCursorItAsksFor() throws Exception {
        try (ReadAheadTransport bob = new ReadAhead(LONG_POLL).wrap(network.connect(BOB))) {
            Optional<Cursor> start = Optional.of(bob.poll(Optional.empty(), 100, PATIENCE).getLast().cursor());
            send("m1");
            send("m2");
            assertThat(readUntil(bob, start, 2)).containsExactly("m1", "m2");
            send("m3");

            // as after a failed turn: the reader goes back to its saved cursor
            assertThat(texts(bob.poll(start, 100, PATIENCE))).containsExactly("m1", "m2", "m3");
        }
    }

    @Test
    void aReaderAskingForFewerEventsThanTheReadAheadGetsNoMore() throws Exception {
        try (ReadAheadTransport bob = new ReadAhead(LONG_POLL).wrap(network.connect(BOB))) {
            Optional<Cursor> start = Optional.of(bob.poll(Optional.empty(), 100, PATIENCE).getLast().cursor());
            send("m1");
            send("m2");
            bob.poll(start, 100, Duration.ZERO); // leaves a poll for up to 100 running ahead
            List<Delivery> one = bob.poll(start, 1, PATIENCE);
            assertThat(texts(one)).containsExactly("m1");
            assertThat(texts(bob.poll(Optional.of(one.getLast().cursor()), 1, PATIENCE))).containsExactly("m2");
        }
    }

    @Test
    void aFailureReachesTheReaderOnceAndNothingRetriesItBehindItsBack() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        Transport failing = new ForwardingTransport(network.connect(BOB)) {
            @Override
            public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
                    throws TransportException, InterruptedException {
                polls.incrementAndGet();
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new TransportException("server answered 502", true);
                }
                return super.poll(after, max, wait);
            }
        };
        ReadAhead ahead = new ReadAhead(LONG_POLL);
        try (ReadAheadTransport bob = ahead.wrap(failing)) {
            long mark = ahead.mark();
            assertThatThrownBy(() -> bob.poll(Optional.empty(), 100, PATIENCE))
                    .isInstanceOf(TransportException.class).hasMessageContaining("502")
                    .matches(e -> ((TransportException) e).retryable());
            assertThat(ahead.await(mark, PATIENCE)).as("a failure is news").isTrue();
            Thread.sleep(LONG_POLL.multipliedBy(2).toMillis());
            assertThat(polls).as("no poll until the reader polls again").hasValue(1);

            assertThat(bob.poll(Optional.empty(), 100, PATIENCE)).isNotEmpty();
        }
    }

    @Test
    void aClosedConnectionRefusesPolls() {
        ReadAheadTransport bob = new ReadAhead(LONG_POLL).wrap(network.connect(BOB));
        bob.close();
        assertThatThrownBy(() -> bob.poll(Optional.empty(), 100, Duration.ZERO))
                .isInstanceOf(TransportException.class).matches(e -> !((TransportException) e).retryable());
    }

    @Test
    void onlyConnectionsWrappedByOneReadAheadShareASignal() {
        ReadAhead one = new ReadAhead(LONG_POLL);
        ReadAhead other = new ReadAhead(LONG_POLL);
        Transport a = one.wrap(network.connect(ALICE));
        Transport b = one.wrap(network.connect(BOB));
        assertThat(ReadAhead.common(a, b)).containsSame(one);
        assertThat(ReadAhead.common(a, other.wrap(network.connect(BOB)))).isEmpty();
        assertThat(ReadAhead.common(a, network.connect(BOB))).isEmpty();
    }

    private void send(String text) throws TransportException {
        alice.sendToRoom(ROOM, new ClientMessageId("id-" + text), Bytes.wrap(text.getBytes()));
    }

    /** Polls on from {@code after} until {@code count} messages came (a poll returns what has arrived). */
    private static List<String> readUntil(Transport reader, Optional<Cursor> after, int count) throws Exception {
        List<String> got = new java.util.ArrayList<>();
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (got.size() < count && System.nanoTime() < end) {
            List<Delivery> batch = reader.poll(after, 100, PATIENCE);
            got.addAll(texts(batch));
            if (!batch.isEmpty()) {
                after = Optional.of(batch.getLast().cursor());
            }
        }
        return got;
    }

    private static List<String> texts(List<Delivery> batch) {
        return batch.stream().map(Delivery::event).filter(e -> e instanceof RoomEvent.RoomMessage)
                .map(e -> new String(((RoomEvent.RoomMessage) e).payload().toByteArray())).toList();
    }
}
