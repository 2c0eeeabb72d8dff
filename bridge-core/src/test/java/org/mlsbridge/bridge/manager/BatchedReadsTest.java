package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;

/**
 * A poll's application messages are handled in one store transaction (one synced commit instead of
 * one per message); a message whose handling fails still drops alone, and nothing is counted twice.
 */
class BatchedReadsTest {
    @TempDir
    Path dir;

    private static SqliteStore sqlite(WatchedStore store) {
        return ((SqliteClientStore) store.inner()).sqlite();
    }

    private MemberClient watched(Harness h, String name, WatchedStore[] store) throws Exception {
        UserId u = Harness.user(name);
        store[0] = new WatchedStore(h.store(u));
        return joined(h, u, h.net.connect(u), store[0]);
    }

    private record Pair(MemberClient alice, MemberClient bob, WatchedStore bobStore) {
    }

    /** Alice's group with bob in it, bob on a watched store, nothing left to read. */
    private Pair aliceAndWatchedBob(Harness h) throws Exception {
        MemberClient alice = h.creator("alice");
        WatchedStore[] store = new WatchedStore[1];
        MemberClient bob = watched(h, "bob", store);
        h.settle();
        h.drainReceived();
        return new Pair(alice, bob, store[0]);
    }

    @Test
    void aPollsApplicationMessagesAreHandledInOneTransaction() throws Exception {
        try (Harness h = new Harness(dir)) {
            Pair pair = aliceAndWatchedBob(h);
            MemberClient alice = pair.alice();
            MemberClient bob = pair.bob();
            WatchedStore store = pair.bobStore();
            for (int i = 0; i < 10; i++) {
                alice.send(Harness.ROOM, Harness.text("m" + i)).orElseThrow();
            }
            int before = store.committedWithDeliveries();
            bob.step(500, Duration.ZERO);
            assertThat(store.committedWithDeliveries() - before).isEqualTo(1);
            List<ReceivedMessage> got = bob.received();
            assertThat(got).extracting(m -> Harness.text(m.text()))
                    .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            int beforeAck = store.transactions();
            int unsyncedBeforeAck = store.unsyncedTransactions();
            bob.acknowledge(got);
            assertThat(store.transactions() - beforeAck).isEqualTo(1);
            assertThat(store.unsyncedTransactions() - unsyncedBeforeAck)
                    .as("an acknowledgement costs no disk flush of its own").isEqualTo(1);
            assertThat(bob.received()).isEmpty();
            assertThat(bob.counters().messagesIn()).isEqualTo(10);
        }
    }

    @Test
    void readingOpensNoTransactionToLookAtAnOutboxKnownEmpty() throws Exception {
        try (Harness h = new Harness(dir)) {
            Pair pair = aliceAndWatchedBob(h);
            MemberClient alice = pair.alice();
            MemberClient bob = pair.bob();
            WatchedStore store = pair.bobStore();
            alice.send(Harness.ROOM, Harness.text("hello")).orElseThrow();
            int before = store.transactions();
            assertThat(bob.step(500, Duration.ZERO)).isEqualTo(1);
            assertThat(store.transactions() - before).as("the cursor's, then the message's").isEqualTo(2);
            List<ReceivedMessage> got = bob.received();
            assertThat(got).extracting(m -> Harness.text(m.text())).containsExactly("hello");
            bob.acknowledge(got);
            assertThat(sqlite(store).hasUnsyncedCommits()).as("the acknowledgement").isTrue();
            // what is queued after that still goes out, and only once what it follows is synced
            bob.send(Harness.ROOM, Harness.text("hi")).orElseThrow();
            assertThat(sqlite(store).hasUnsyncedCommits()).isFalse();
            alice.step(500, Duration.ZERO);
            assertThat(alice.received()).extracting(m -> Harness.text(m.text())).containsExactly("hi");
        }
    }

    @Test
    void aMessageThatFailsInABatchDropsAloneAndNothingIsCountedTwice() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            WatchedStore[] store = new WatchedStore[1];
            MemberClient bob = watched(h, "bob", store);
            h.settle();
            h.drainReceived();
            long inBefore = bob.counters().messagesIn();
            store[0].poison(m -> Harness.text(m.text()).equals("poison"));
            for (String t : List.of("a", "b", "poison", "c", "d")) {
                alice.send(Harness.ROOM, Harness.text(t)).orElseThrow();
            }
            bob.step(500, Duration.ZERO);
            List<String> got = new ArrayList<>();
            bob.received().forEach(m -> got.add(Harness.text(m.text())));
            assertThat(got).containsExactly("a", "b", "c", "d");
            assertThat(bob.counters().dropped(DropReason.INTERNAL_ERROR)).isEqualTo(1);
            assertThat(bob.counters().messagesIn() - inBefore).isEqualTo(4);
            assertThat(bob.droppedEvents()).singleElement()
                    .satisfies(d -> assertThat(d.reason()).isEqualTo(DropReason.INTERNAL_ERROR));

            // the group state is where it should be: the next messages read as usual
            store[0].poison(m -> false);
            alice.send(Harness.ROOM, Harness.text("after")).orElseThrow();
            bob.step(500, Duration.ZERO);
            assertThat(bob.received()).extracting(m -> Harness.text(m.text())).contains("after");
        }
    }

    /** bob, whose transport counts its polls into {@code polls}. */
    private static MemberClient countingPolls(Harness h, AtomicInteger polls) throws Exception {
        UserId bobUser = Harness.user("bob");
        Transport counted = new ForwardingTransport(h.net.connect(bobUser)) {
            @Override
            public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
                    throws TransportException, InterruptedException {
                polls.incrementAndGet();
                return super.poll(after, max, wait);
            }
        };
        return joined(h, bobUser, counted, h.store(bobUser));
    }

    /** A member on the given transport and store, in the room (the bot will add it). */
    private static MemberClient joined(Harness h, UserId u, Transport transport, ClientStore store) throws Exception {
        MemberClient c = h.member(u, transport, store);
        h.net.join(Harness.ROOM, u);
        return c;
    }

    @Test
    void aSendPollsOnceWhenWhatArrivedFitsOneBatch() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            AtomicInteger polls = new AtomicInteger();
            MemberClient bob = countingPolls(h, polls);
            h.settle();
            alice.send(Harness.ROOM, Harness.text("hello")).orElseThrow();

            polls.set(0);
            bob.send(Harness.ROOM, Harness.text("hi")).orElseThrow();
            // alice's message was read first (one poll, less than a batch), and no second, empty poll
            assertThat(polls.get()).isEqualTo(1);
            assertThat(bob.received()).extracting(m -> Harness.text(m.text())).containsExactly("hello");
        }
    }

    @Test
    void aSendWithoutPollingAsksNothingAndGoesOutInTheEpochTheClientKnows() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            AtomicInteger polls = new AtomicInteger();
            MemberClient bob = countingPolls(h, polls);
            h.settle();
            long epoch = bob.epoch(Harness.ROOM).orElseThrow();
            alice.send(Harness.ROOM, Harness.text("unread yet")).orElseThrow();

            polls.set(0);
            SentMessage sent = bob.sendWithoutPolling(Harness.ROOM, Harness.text("hi")).orElseThrow();
            assertThat(polls.get()).isZero();
            assertThat(sent.epoch()).isEqualTo(epoch);
            // nothing was handled: alice's message waits for the next step
            assertThat(bob.received()).isEmpty();
            alice.step(500, Duration.ZERO);
            assertThat(alice.received()).extracting(m -> Harness.text(m.text())).containsExactly("hi");
            bob.step(500, Duration.ZERO);
            assertThat(bob.received()).extracting(m -> Harness.text(m.text())).containsExactly("unread yet");
        }
    }
}
