package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.RoomId;

/** A member of the MLS phase: an MLS client ({@link MemberClient}) with its own store and connection. */
final class MlsMember implements PhaseMember {
    private final int index;
    private final MemberClient client;
    private final ClientStore store;
    private final RoomId room;
    private final Tally tally;

    MlsMember(int index, MemberClient client, ClientStore store, RoomId room, Tally tally) {
        this.index = index;
        this.client = client;
        this.store = store;
        this.room = room;
        this.tally = tally;
    }

    RoomId room() {
        return room;
    }

    MemberClient client() {
        return client;
    }

    @Override
    public void send(int k) throws Exception {
        // What has arrived is handled and read before sending, as a chat client shows new messages
        // before it sends: MemberClient.send would handle them too, but the load could only read
        // them once the own post was answered, a wait the plain phase's reads never have.
        if (client.step(500, Duration.ZERO) > 0) {
            readArrived();
        }
        if (client.send(room, Payloads.of(k, tally.settings().messageBytes())).isEmpty()) {
            throw new IllegalStateException(client.self() + " is not in the group of " + room);
        }
        // anything that arrived in between was handled by the send: read now, not after the next
        // step's wait for the network
        readArrived();
    }

    @Override
    public int step(Duration wait) throws Exception {
        int n = client.step(500, wait);
        if (n > 0) {
            readArrived();
        }
        return n;
    }

    /** Reports what the client has decrypted to the tally and acknowledges all of it at once. */
    private void readArrived() {
        List<ReceivedMessage> got = client.received();
        if (got.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (ReceivedMessage m : got) {
            OptionalInt k = m.room().equals(room) && m.endToEndEncrypted()
                    ? Payloads.parse(m.text(), tally.settings().messageBytes()) : OptionalInt.empty();
            if (k.isPresent()) {
                tally.read(index, k.getAsInt(), m.sender(), now);
            } else {
                tally.unexpected(index);
            }
        }
        client.acknowledge(got);
    }

    @Override
    public int membersSeen() {
        return client.groupMembers(room).size();
    }

    /** Where this client's stream stands (for the plain phase's connection of the same account). */
    java.util.Optional<Cursor> cursor() {
        return store.transaction(tx -> tx.cursor());
    }

    @Override
    public void close() {
        client.close();
    }
}
