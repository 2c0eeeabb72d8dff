package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;

/** A member of the plain phase: posts the load text as it is and reads the room's messages. */
final class PlainMember implements PhaseMember {
    private static final int RETRIES = 50;

    private final int index;
    private final Transport transport;
    private final RoomId room;
    private Tally tally;
    private final String runId;
    private Optional<Cursor> cursor;

    PlainMember(int index, Transport transport, RoomId room, Tally tally, String runId) {
        this.index = index;
        this.transport = transport;
        this.room = room;
        this.cursor = Optional.empty();
        this.tally = tally;
        this.runId = runId;
    }

    @Override
    public void send(int k) throws Exception {
        // the round in the id: warm-up message k and measured message k are different posts
        ClientMessageId id = new ClientMessageId("load-" + runId + "-" + tally.round() + "-" + k);
        for (int attempt = 1; ; attempt++) {
            try {
                transport.sendToRoom(room, id, Payloads.of(k, tally.settings().messageBytes()));
                return;
            } catch (TransportException e) {
                // the same id again: the server keeps one copy
                if (!e.retryable() || attempt == RETRIES) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void countInto(Tally tally) {
        this.tally = tally;
    }

    @Override
    public int step(Duration wait) throws Exception {
        List<Delivery> batch = transport.poll(cursor, 500, wait);
        long now = System.nanoTime();
        for (Delivery d : batch) {
            // the account is an MLS member too: on Matrix the poll also carries the MLS room
            if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(room)
                    && !m.sender().equals(transport.self())) {
                OptionalInt k = Payloads.parse(m.payload(), tally.settings().messageBytes());
                if (k.isPresent()) {
                    tally.read(index, k.getAsInt(), null, now);
                } else {
                    tally.unexpected(index);
                }
            }
        }
        if (!batch.isEmpty()) {
            cursor = Optional.of(batch.get(batch.size() - 1).cursor());
        }
        return batch.size();
    }

    @Override
    public int membersSeen() {
        return tally.members().size();
    }

    @Override
    public long undecryptable() {
        return 0;
    }

    @Override
    public void close() {
        transport.close();
    }
}
