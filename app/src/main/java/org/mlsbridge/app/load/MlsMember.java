package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SentMessage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.mls.codec.Bytes;

/** A member of the MLS phase: an MLS client ({@link MemberClient}) with its own store and connection. */
final class MlsMember implements PhaseMember {
    private static final int CATCH_UP = 500;

    private final int index;
    private final MemberClient client;
    private final RoomId room;
    private Tally tally;
    /** Whether the last step may have left events unread (it returned a full batch), or none ran yet. */
    private boolean behind = true;

    MlsMember(int index, MemberClient client, RoomId room, Tally tally) {
        this.index = index;
        this.client = client;
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
        Bytes text = Payloads.of(k, tally.settings().messageBytes());
        // The member loop steps (polls, handles and reads what arrived) until a send is due, as a
        // chat client shows new messages before its user sends. When that step read to the end,
        // polling again first would only cost one more round trip per message (on Matrix a /sync),
        // which the plain phase's sends do not make either.
        Optional<SentMessage> sent = behind ? client.send(room, text) : client.sendWithoutPolling(room, text);
        if (sent.isEmpty()) {
            throw new IllegalStateException(client.self() + " is not in the group of " + room);
        }
        if (behind) {
            // what the send's catch-up handled is read now, not after the next step's wait
            readArrived();
            behind = false;
        }
    }

    @Override
    public void countInto(Tally tally) {
        this.tally = tally;
    }

    @Override
    public int step(Duration wait) throws Exception {
        behind = true; // also if the step fails
        int n = client.step(CATCH_UP, wait);
        behind = n >= CATCH_UP;
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

    @Override
    public long undecryptable() {
        return client.counters().decryptionFailures();
    }

    @Override
    public void close() {
        client.close();
    }
}
