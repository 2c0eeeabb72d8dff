package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
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

/** The bot's view of a bridged pair over transports that hand out short batches, as Matrix syncs do. */
class PairedTransportTest {
    private static final RoomId A = new RoomId("chat@muc.example.org");
    private static final RoomId B = new RoomId("!chat:example.org");
    private static final UserId BRIDGE_A = UserId.xmpp("bridge@example.org");
    private static final UserId BRIDGE_B = UserId.matrix("@bridge:example.org");

    @Test
    void eventsSkippedForTheBotAreNotReadAgainFromTheSameCursor() throws Exception {
        InMemoryNetwork xmpp = new InMemoryNetwork();
        InMemoryNetwork matrix = new InMemoryNetwork();
        xmpp.join(A, BRIDGE_A);
        matrix.join(B, BRIDGE_B);
        UserId carol = UserId.matrix("@carol:example.org");
        matrix.join(B, carol);
        Transport carolsConnection = matrix.connect(carol);
        for (int i = 0; i < 5; i++) { // room B's traffic: the relay's business, skipped by the bot
            carolsConnection.sendToRoom(B, new ClientMessageId("m" + i), Bytes.wrap(new byte[] {1, 2, (byte) i}));
        }
        UserId dave = UserId.matrix("@dave:example.org");
        matrix.join(B, dave);
        PairedTransport pair = new PairedTransport(xmpp.connect(BRIDGE_A),
                new OneAtATime(matrix.connect(BRIDGE_B)), List.of(new PairedTransport.Pair(A, B, Optional.empty())),
                Set.of(BRIDGE_A, BRIDGE_B));
        List<RoomEvent> seen = new ArrayList<>();
        Optional<Cursor> cursor = Optional.empty(); // the caller saves a cursor only with an event
        for (int i = 0; i < 20 && !seen.contains(new RoomEvent.MemberJoined(A, dave)); i++) {
            for (Delivery d : pair.poll(cursor, 10, Duration.ZERO)) {
                seen.add(d.event());
                cursor = Optional.of(d.cursor());
            }
        }
        assertThat(seen).containsExactly(new RoomEvent.MemberJoined(A, carol), new RoomEvent.MemberJoined(A, dave));
    }

    /** At most one event per poll, however many are asked for. */
    private static final class OneAtATime extends ForwardingTransport {
        OneAtATime(Transport t) {
            super(t);
        }

        @Override
        public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
                throws TransportException, InterruptedException {
            List<Delivery> all = inner().poll(after, max, wait);
            return all.isEmpty() ? all : all.subList(0, 1);
        }
    }
}
