package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;

/**
 * A member queues a message, dies before the outbox entry is marked sent, and comes back after
 * the group moved more epochs on than receivers keep (3 by default): the message is still read by
 * every other member exactly once, attributed to its sender, whether or not the old copy reached
 * the room before the crash.
 */
class LateOutboxTest {
    private static final String TEXT = "queued before the crash";

    @TempDir
    Path dir;

    @Test
    void messageQueuedBeforeACrashIsReadAfterTheGroupMovedBeyondThePastEpochWindow() throws Exception {
        try (Harness h = room()) {
            UserId bob = Harness.user("bob");
            MemberClient failing = sendThatFails(h, bob);
            long queuedIn = failing.epoch(Harness.ROOM).orElseThrow();
            crash(h, failing);

            advance(h, 5);
            assertThat(h.members.get(Harness.user("alice")).epoch(Harness.ROOM).orElseThrow())
                    .isGreaterThan(queuedIn + 3);

            MemberClient back = reopen(h, bob, h.net.connect(bob));
            h.settle();

            assertReadOnceByOthers(h, bob);
            assertThat(back.counters().messagesRenewed()).isEqualTo(1);
            for (MemberClient c : h.members.values()) {
                assertThat(c.counters().dropped(DropReason.PAST_EPOCH_EXPIRED)).isZero();
                assertThat(c.counters().decryptionFailures()).isZero();
            }
        }
    }

    @Test
    void copyThatReachedTheRoomBeforeTheCrashIsNotReadTwice() throws Exception {
        try (Harness h = room()) {
            UserId bob = Harness.user("bob");
            MemberClient sender = sendWhoseAnswerIsLost(h, bob);
            crash(h, sender);
            h.settle(); // the others read the copy that arrived

            advance(h, 5);
            MemberClient back = reopen(h, bob, h.net.connect(bob));
            h.settle();

            assertReadOnceByOthers(h, bob);
            // he saw its echo while catching up: posted as it was (the id finds the copy), no new key spent
            assertThat(back.counters().messagesRenewed()).isZero();
            assertThat(applicationMessagesOf(h, bob)).isEqualTo(1);
        }
    }

    @Test
    void postWhoseAnswerWasLostIsNotEncryptedAgainWhenTheGroupMovesOn() throws Exception {
        try (Harness h = room()) {
            UserId bob = Harness.user("bob");
            MemberClient sender = sendWhoseAnswerIsLost(h, bob);
            h.members.remove(bob);
            advance(h, 5);
            h.members.put(bob, sender);
            h.settle();

            assertReadOnceByOthers(h, bob);
            assertThat(sender.counters().messagesRenewed()).isZero(); // its echo came first
            assertThat(applicationMessagesOf(h, bob)).isEqualTo(1);
        }
    }

    @Test
    void copyInTheRoomWhoseEchoWasNotSeenIsEncryptedAgainButNotPostedTwice() throws Exception {
        try (Harness h = room()) {
            UserId bob = Harness.user("bob");
            MemberClient sender = sendWhoseAnswerIsLost(h, bob);
            crash(h, sender);
            h.settle();

            advance(h, 5);
            // the stream he catches up on lacks his own posts (as after history he could not page back to)
            MemberClient back = reopen(h, bob, new WithoutOwnPosts(h.net.connect(bob)));
            h.settle();

            assertReadOnceByOthers(h, bob);
            // encrypted again under the same id, which the room already holds: not posted again
            assertThat(back.counters().messagesRenewed()).isEqualTo(1);
            assertThat(applicationMessagesOf(h, bob)).isEqualTo(1);
        }
    }

    @Test
    void messageOfAMemberRemovedMeanwhileIsDroppedAndCounted() throws Exception {
        try (Harness h = room()) {
            UserId bob = Harness.user("bob");
            MemberClient failing = sendThatFails(h, bob);
            crash(h, failing);
            h.net.leave(Harness.ROOM, bob);
            h.settle(); // the bot removes him from the group

            MemberClient back = reopen(h, bob, h.net.connect(bob));
            h.settle();

            assertThat(back.counters().messagesUnsendable()).isEqualTo(1);
            assertThat(back.epoch(Harness.ROOM)).isEmpty();
            back.flush(); // nothing left to retry
            assertThat(back.counters().messagesUnsendable()).isEqualTo(1);
            for (MemberClient c : h.members.values()) {
                assertThat(c.received()).noneMatch(m -> Harness.text(m.text()).equals(TEXT));
            }
        }
    }

    /** Bob's post never reaches the room: the message stays in his outbox. */
    private static MemberClient sendThatFails(Harness h, UserId bob) throws Exception {
        MemberClient failing = reopen(h, bob, new FailingPosts(h.net.connect(bob)));
        assertThatThrownBy(() -> failing.send(Harness.ROOM, Harness.text(TEXT)))
                .isInstanceOf(TransportException.class);
        return failing;
    }

    /** The room takes bob's post but he never hears so: the message stays in his outbox too. */
    private static MemberClient sendWhoseAnswerIsLost(Harness h, UserId bob) {
        MemberClient sender = h.members.get(bob);
        h.net.dropNextAcknowledgement(bob);
        assertThatThrownBy(() -> sender.send(Harness.ROOM, Harness.text(TEXT)))
                .isInstanceOf(TransportException.class);
        return sender;
    }

    /** Alice (creator), bob and carol in the room's group, with the bot. */
    private Harness room() throws Exception {
        Harness h = new Harness(dir);
        h.creator("alice");
        for (String n : List.of("bob", "carol")) {
            h.net.join(Harness.ROOM, h.member(n).self());
        }
        h.settle();
        assertThat(h.members.get(Harness.user("carol")).epoch(Harness.ROOM)).isPresent();
        return h;
    }

    /** Closes the client, as a kill leaves it (what was committed stays), and keeps it out of settle. */
    private static void crash(Harness h, MemberClient c) {
        c.close();
        h.members.remove(c.self());
    }

    private static MemberClient reopen(Harness h, UserId user, Transport transport) throws Exception {
        MemberClient old = h.members.remove(user);
        if (old != null) {
            old.close();
        }
        return h.member(user, transport, h.store(user));
    }

    /** The members present move the group on by {@code epochs} commits. */
    private static void advance(Harness h, int epochs) throws Exception {
        MemberClient alice = h.members.get(Harness.user("alice"));
        for (int i = 0; i < epochs; i++) {
            long before = alice.epoch(Harness.ROOM).orElseThrow();
            alice.requestCommit(Harness.ROOM);
            h.settle();
            assertThat(alice.epoch(Harness.ROOM).orElseThrow()).isGreaterThan(before);
        }
    }

    private static void assertReadOnceByOthers(Harness h, UserId sender) {
        for (MemberClient c : h.members.values()) {
            if (c.self().equals(sender)) {
                continue;
            }
            List<ReceivedMessage> got = new ArrayList<>();
            for (ReceivedMessage m : c.received()) {
                if (Harness.text(m.text()).equals(TEXT)) {
                    got.add(m);
                }
            }
            assertThat(got).as(c.self() + " read it").hasSize(1);
            assertThat(got.get(0).sender()).isEqualTo(sender);
            assertThat(got.get(0).endToEndEncrypted()).isTrue();
        }
    }

    /** The sender's application messages in the room's log. */
    private static long applicationMessagesOf(Harness h, UserId sender) {
        return h.net.roomLog(Harness.ROOM).stream().filter(m -> m.sender().equals(sender)).filter(m -> {
            try {
                return MlsMessage.decode(m.payload()).body() instanceof PrivateMessage p
                        && p.contentType() == ContentType.APPLICATION;
            } catch (DecodeException e) {
                return false;
            }
        }).count();
    }

    /** A connection whose stream leaves out the room messages its own account posted. */
    private static final class WithoutOwnPosts extends ForwardingTransport {
        WithoutOwnPosts(Transport inner) {
            super(inner);
        }

        @Override
        public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
                throws TransportException, InterruptedException {
            return inner().poll(after, max, wait).stream()
                    .filter(d -> !(d.event() instanceof RoomEvent.RoomMessage m && m.sender().equals(self())))
                    .toList();
        }
    }

    /** A connection whose room posts fail as a dropped connection would: the client dies with its outbox full. */
    private static final class FailingPosts extends ForwardingTransport {
        FailingPosts(Transport inner) {
            super(inner);
        }

        @Override
        public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
            throw new TransportException("connection lost", true);
        }
    }
}
