package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.store.StoreException;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.mls.codec.Bytes;

/** No poison messages: what the event loop does with failures of each kind. */
class EventRunnerTest {
    private final InMemoryClientStore store = new InMemoryClientStore();
    private final Counters counters = new Counters();
    private final AtomicInteger cachesForgotten = new AtomicInteger();
    private final EventRunner runner = new EventRunner(store, new DropLog(counters, Clock.systemUTC()),
            cachesForgotten::incrementAndGet);
    private final Delivery event = new Delivery(new RoomEvent.RoomMessage(new RoomId("r"), Harness.user("eve"),
            new ServerId("s1"), Bytes.EMPTY), new Cursor("c1"));

    @Test
    void anUncheckedFailureDropsTheEventCountsItAndMovesTheCursorOn() throws Exception {
        runner.run(event, (tx, e) -> {
            tx.putBlob("half-done", Bytes.EMPTY);
            throw new IllegalArgumentException("hostile input tripped a bug");
        });
        assertThat(counters.dropped(DropReason.INTERNAL_ERROR)).isEqualTo(1);
        assertThat(cachesForgotten.get()).isEqualTo(2); // tried once more from fresh state, then dropped;
        store.transaction(tx -> {
            assertThat(tx.cursor()).contains(new Cursor("c1"));
            assertThat(tx.blob("half-done")).isEmpty(); // the failed transaction left nothing behind
            assertThat(DropLog.read(tx)).singleElement().satisfies(d -> {
                assertThat(d.serverId()).isEqualTo(Optional.of("s1"));
                assertThat(d.reason()).isEqualTo(DropReason.INTERNAL_ERROR);
            });
            return null;
        });
    }

    @Test
    void aTransientStorageFaultIsRetriedWithBackoff() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        runner.run(event, (tx, e) -> {
            if (attempts.incrementAndGet() < 3) {
                throw new StoreException(StoreException.Kind.IO, "database is locked");
            }
            tx.putBlob("done", Bytes.EMPTY);
        });
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(counters.droppedByReason()).isEmpty();
        Optional<Bytes> done = store.transaction(tx -> tx.blob("done"));
        assertThat(done).isPresent();
    }

    @Test
    void aLastingStorageFaultSurfacesAfterTheCapAndTheEventIsNotLost() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> runner.run(event, (tx, e) -> {
            attempts.incrementAndGet();
            throw new StoreException(StoreException.Kind.IO, "disk full");
        })).isInstanceOf(StoreException.class);
        assertThat(attempts.get()).isEqualTo(EventRunner.ATTEMPTS);
        Optional<Cursor> cursor = store.transaction(tx -> tx.cursor());
        assertThat(cursor).isEmpty(); // polled again next time
    }
}
