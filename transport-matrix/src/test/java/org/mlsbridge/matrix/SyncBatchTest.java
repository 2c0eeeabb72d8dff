package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;

/** Cursors inside a batch: raw events counted per part, the last delivery pointing at the next batch. */
class SyncBatchTest {
    private static final String USER = "@a:hs";
    private static final RoomId R1 = new RoomId("!one:hs");
    private static final RoomId R2 = new RoomId("!two:hs");

    private static RoomEvent joined(RoomId room, String who) {
        return new RoomEvent.MemberJoined(room, MatrixIds.user("@" + who + ":hs"));
    }

    private final SyncBatch batch = new SyncBatch(USER, "s1", "s2", List.of(
            new SyncBatch.Item(SyncCursor.TO_DEVICE, 0, Optional.empty()), // malformed
            new SyncBatch.Item(R1.value(), 0, Optional.of(joined(R1, "b"))),
            new SyncBatch.Item(R1.value(), 1, Optional.empty()), // a profile change
            new SyncBatch.Item(R1.value(), 2, Optional.of(joined(R1, "c"))),
            new SyncBatch.Item(R2.value(), 0, Optional.of(joined(R2, "d"))),
            new SyncBatch.Item(R2.value(), 1, Optional.empty())));

    @Test
    void eachCursorResumesRightAfterItsEventAndTheLastOneAtTheNextBatch() throws Exception {
        List<Delivery> all = batch.deliveriesAfter(SyncCursor.start(USER).withSince("s1"), 10);
        assertThat(all).extracting(Delivery::event).containsExactly(joined(R1, "b"), joined(R1, "c"), joined(R2, "d"));
        SyncCursor first = SyncCursor.decode(all.get(0).cursor(), USER);
        assertThat(first).isEqualTo(new SyncCursor(USER, "s1", Map.of(SyncCursor.TO_DEVICE, 1, R1.value(), 1)));
        assertThat(batch.deliveriesAfter(first, 10)).extracting(Delivery::event)
                .containsExactly(joined(R1, "c"), joined(R2, "d"));
        SyncCursor second = SyncCursor.decode(all.get(1).cursor(), USER);
        assertThat(second.consumed(R1.value())).isEqualTo(3);
        // nothing deliverable follows the last one: its cursor is the next batch's start
        assertThat(SyncCursor.decode(all.get(2).cursor(), USER)).isEqualTo(new SyncCursor(USER, "s2", Map.of()));
        assertThat(batch.deliveriesAfter(first, 1)).hasSize(1);
        assertThat(batch.beyondEnd(new SyncCursor(USER, "s1", Map.of(R2.value(), 3)))).contains(R2.value());
        assertThat(batch.beyondEnd(second)).isEmpty();
    }
}
