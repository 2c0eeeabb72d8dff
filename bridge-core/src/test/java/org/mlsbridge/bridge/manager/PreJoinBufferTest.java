package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.codec.Bytes;

/** The pre-join buffer is bounded in bytes and messages, evicting the oldest, one blob per message. */
class PreJoinBufferTest {
    private static final RoomId ROOM = new RoomId("r");
    private final InMemoryClientStore store = new InMemoryClientStore();

    private static RoomEvent.RoomMessage message(int i, int size) {
        return new RoomEvent.RoomMessage(ROOM, Harness.user("u"), new ServerId("s" + i), Bytes.wrap(new byte[size]));
    }

    @Test
    void boundedInBytesOldestFirstOut() {
        RoomPolicy policy = RoomPolicy.DEFAULT.withBuffer(1_000, 100);
        int evicted = store.transaction(tx -> {
            int n = 0;
            for (int i = 0; i < 10; i++) {
                n += new PreJoinBuffer(tx, ROOM).add(message(i, 300), policy);
            }
            return n;
        });
        List<RoomEvent.RoomMessage> kept = store.transaction(tx -> new PreJoinBuffer(tx, ROOM).drain());
        assertThat(evicted).isEqualTo(7);
        assertThat(kept).extracting(m -> m.serverId().value()).containsExactly("s7", "s8", "s9");
        List<RoomEvent.RoomMessage> again = store.transaction(tx -> new PreJoinBuffer(tx, ROOM).drain());
        assertThat(again).isEmpty();
    }

    @Test
    void boundedInMessagesAndAnOversizedMessageIsNotKept() {
        RoomPolicy policy = RoomPolicy.DEFAULT.withBuffer(1_000, 2);
        int evicted = store.transaction(tx -> {
            PreJoinBuffer b = new PreJoinBuffer(tx, ROOM);
            return b.add(message(1, 10), policy) + b.add(message(2, 10), policy) + b.add(message(3, 10), policy)
                    + b.add(message(4, 5_000), policy);
        });
        assertThat(evicted).isEqualTo(2);
        List<RoomEvent.RoomMessage> kept = store.transaction(tx -> new PreJoinBuffer(tx, ROOM).drain());
        assertThat(kept).extracting(m -> m.serverId().value()).containsExactly("s2", "s3");
    }
}
