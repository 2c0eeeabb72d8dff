package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The transport SPI contract (the one InMemoryNetworkTest pins for the reference
 * implementation), run against {@link MatrixTransport} on a real Synapse. The room belongs to an
 * owner account that invites, and bans; members join and leave through their own transports.
 */
@ExtendWith(SynapseExtension.class)
class MatrixTransportConformanceTest {
    private final MatrixWorld world;
    private MatrixTransport owner;
    private RoomId room;

    MatrixTransportConformanceTest(SynapseServer synapse) {
        this.world = new MatrixWorld(synapse);
    }

    @BeforeEach
    void createRoom() throws Exception {
        owner = world.connect("owner");
        room = owner.createRoom("conformance", List.of());
    }

    @AfterEach
    void close() {
        world.close();
    }

    private static Bytes b(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** What the owner's network operation "join" is on Matrix: an invite, then the user's own join. */
    private void join(MatrixTransport t) throws Exception {
        owner.invite(room, t.self());
        t.join(room);
    }

    private static List<RoomEvent> drain(Transport t, Optional<Cursor> after) throws Exception {
        List<RoomEvent> out = new ArrayList<>();
        Optional<Cursor> c = after;
        while (true) {
            List<Delivery> batch = t.poll(c, 1000, Duration.ZERO);
            if (batch.isEmpty()) {
                return out;
            }
            for (Delivery d : batch) {
                out.add(d.event());
            }
            c = Optional.of(batch.get(batch.size() - 1).cursor());
        }
    }

    private List<RoomEvent.RoomMessage> roomLog(MatrixTransport observer) throws Exception {
        List<RoomEvent.RoomMessage> out = new ArrayList<>();
        for (RoomEvent e : drain(observer, Optional.empty())) {
            if (e instanceof RoomEvent.RoomMessage m && m.room().equals(room)) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void everyMemberSeesTheSameTotalOrderIncludingOwnMessages() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob = world.connect("bob");
        join(a);
        join(bob);
        // more than one sync's timeline limit, so the initial sync has a gap to fill
        Thread t1 = Thread.ofVirtual().start(() -> send(a, "a", 40));
        Thread t2 = Thread.ofVirtual().start(() -> send(bob, "b", 40));
        t1.join();
        t2.join();
        List<RoomEvent> seenA = drain(a, Optional.empty());
        List<RoomEvent> seenB = drain(bob, Optional.empty());
        assertThat(seenA.get(0)).isEqualTo(new RoomEvent.MemberJoined(room, a.self()));
        assertThat(seenB.get(0)).isEqualTo(new RoomEvent.MemberJoined(room, bob.self()));
        // alice also saw bob's join; from there on both streams are identical
        assertThat(seenA.subList(1, seenA.size())).isEqualTo(seenB);
        assertThat(seenB.stream().filter(e -> e instanceof RoomEvent.RoomMessage)).hasSize(80);
        assertThat(roomLog(owner)).hasSize(80);
    }

    private void send(Transport t, String prefix, int n) {
        try {
            for (int i = 0; i < n; i++) {
                t.sendToRoom(room, new ClientMessageId(prefix + i), b(prefix + i));
            }
        } catch (TransportException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void resendingWithTheSameClientIdDeliversOnceAlsoFromANewLogin() throws Exception {
        MatrixTransport a = world.connect("alice");
        join(a);
        ServerId first = a.sendToRoom(room, new ClientMessageId("x"), b("hi"));
        ServerId second = a.sendToRoom(room, new ClientMessageId("x"), b("hi"));
        // a crash after sending, before storing the answer: a new process logs in and sends again
        a.close();
        MatrixTransport again = world.connect("alice");
        ServerId third = again.sendToRoom(room, new ClientMessageId("x"), b("hi"));
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(again.logins()).isEqualTo(1);
        List<RoomEvent.RoomMessage> log = roomLog(owner);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).serverId()).isEqualTo(first);
        assertThat(log.get(0).sender()).isEqualTo(a.self());
    }

    @Test
    void offlineMemberCatchesUpInOrderFromItsCursorOnANewConnection() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob = world.connect("bob");
        join(a);
        join(bob);
        List<Delivery> first = bob.poll(Optional.empty(), 10, Duration.ZERO);
        assertThat(first).extracting(Delivery::event).containsExactly(new RoomEvent.MemberJoined(room, bob.self()));
        Cursor saved = first.get(first.size() - 1).cursor();
        bob.close();
        send(a, "m", 20);
        MatrixTransport carol = world.connect("carol");
        join(carol);
        MatrixTransport bob2 = world.connect("bob");
        List<RoomEvent> caught = drain(bob2, Optional.of(saved));
        assertThat(caught).hasSize(21);
        for (int i = 0; i < 20; i++) {
            RoomEvent.RoomMessage m = (RoomEvent.RoomMessage) caught.get(i);
            assertThat(m.payload()).isEqualTo(b("m" + i));
            assertThat(m.sender()).isEqualTo(a.self());
        }
        assertThat(caught.get(20)).isEqualTo(new RoomEvent.MemberJoined(room, carol.self()));
        // paging: max bounds a batch and each cursor resumes right after its event
        List<Delivery> page = bob2.poll(Optional.of(saved), 5, Duration.ZERO);
        assertThat(page).hasSize(5);
        assertThat(drain(bob2, Optional.of(page.get(4).cursor())).get(0)).isEqualTo(caught.get(5));
        // and so does a cursor in a new process
        MatrixTransport bob3 = world.connect("bob");
        assertThat(drain(bob3, Optional.of(page.get(2).cursor()))).isEqualTo(caught.subList(3, 21));
        assertThatThrownBy(() -> bob.poll(Optional.empty(), 1, Duration.ZERO)).isInstanceOf(TransportException.class);
    }

    @Test
    void audienceIsFixedWhenTheEventHappens() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob = world.connect("bob");
        MatrixTransport carol = world.connect("carol");
        join(a);
        a.sendToRoom(room, new ClientMessageId("before"), b("before"));
        join(bob);
        a.sendToRoom(room, new ClientMessageId("during"), b("during"));
        bob.leave(room);
        a.sendToRoom(room, new ClientMessageId("after"), b("after"));
        owner.ban(room, carol.self(), "test");
        List<RoomEvent.RoomMessage> log = roomLog(owner);
        List<RoomEvent> bobs = drain(world.connect("bob"), Optional.empty());
        assertThat(bobs).containsExactly(new RoomEvent.MemberJoined(room, bob.self()), log.get(1),
                new RoomEvent.MemberLeft(room, bob.self()));
        assertThatThrownBy(() -> carol.join(room)).isInstanceOf(TransportException.class);
        assertThatThrownBy(() -> bob.sendToRoom(room, new ClientMessageId("z"), b("z")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        // a member banned while in the room sees its ban as the last event
        MatrixTransport dave = world.connect("dave");
        join(dave);
        owner.ban(room, dave.self(), "test");
        List<RoomEvent> daves = drain(dave, Optional.empty());
        assertThat(daves).containsExactly(new RoomEvent.MemberJoined(room, dave.self()),
                new RoomEvent.MemberBanned(room, dave.self()));
        assertThat(owner.members(room)).containsExactlyInAnyOrder(owner.self(), a.self());
    }

    @Test
    void keyPackagesAreHandedOutOnceThenLastResortForever() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob = world.connect("bob");
        assertThat(bob.claimKeyPackage(a.self())).isEmpty();
        a.publishKeyPackages(List.of(new PublishedKeyPackage(b("r1"), b("kp1")),
                new PublishedKeyPackage(b("r2"), b("kp2"))), Optional.of(new PublishedKeyPackage(b("rL"), b("kpL"))));
        assertThat(a.availableKeyPackages()).isEqualTo(2);
        // publishing the same again is a no-op
        a.publishKeyPackages(List.of(new PublishedKeyPackage(b("r1"), b("kp1"))), Optional.empty());
        assertThat(a.availableKeyPackages()).isEqualTo(2);
        a.retractKeyPackage(b("r2"));
        a.retractKeyPackage(b("unknown"));
        assertThat(a.availableKeyPackages()).isEqualTo(1);
        assertThat(bob.claimKeyPackage(a.self())).contains(b("kp1"));
        assertThat(bob.claimKeyPackage(a.self())).contains(b("kpL"));
        assertThat(bob.claimKeyPackage(a.self())).contains(b("kpL"));
        assertThat(a.availableKeyPackages()).isZero();
    }

    @Test
    void welcomesReachOnlyTheAddresseeEvenWhileOfflineAndPollWakesUp() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob = world.connect("bob");
        CountDownLatch started = new CountDownLatch(1);
        List<Delivery> got = new ArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                started.countDown();
                got.addAll(bob.poll(Optional.empty(), 10, Duration.ofSeconds(10)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        started.await();
        a.sendToUser(bob.self(), room, new ClientMessageId("w"), b("welcome"));
        a.sendToUser(bob.self(), room, new ClientMessageId("w"), b("welcome"));
        waiter.join(15_000);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).event()).isInstanceOfSatisfying(RoomEvent.WelcomeReceived.class, w -> {
            assertThat(w.welcome()).isEqualTo(b("welcome"));
            assertThat(w.sender()).isEqualTo(a.self());
            assertThat(w.room()).isEqualTo(room);
        });
        assertThat(drain(bob, Optional.of(got.get(0).cursor()))).isEmpty();
        assertThat(drain(a, Optional.empty())).isEmpty();
        // offline: the Welcome waits on the server for the next connection
        bob.close();
        a.sendToUser(bob.self(), room, new ClientMessageId("w2"), b("welcome 2"));
        List<RoomEvent> later = drain(world.connect("bob"), Optional.of(got.get(0).cursor()));
        assertThat(later).hasSize(1);
        assertThat(((RoomEvent.WelcomeReceived) later.get(0)).welcome()).isEqualTo(b("welcome 2"));
    }

    @Test
    void foreignOrFutureCursorsAreRefused() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob = world.connect("bob");
        join(bob);
        Cursor bobs = bob.poll(Optional.empty(), 1, Duration.ZERO).get(0).cursor();
        for (Cursor c : List.of(new Cursor("mem:99"), new Cursor("s72_abc"), new Cursor("mx1.!!!"), bobs,
                new SyncCursor(world.account("alice").matrixUserId(), "", Map.of(room.value(), 99)).encode())) {
            assertThatThrownBy(() -> a.poll(Optional.of(c), 1, Duration.ZERO))
                    .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        }
    }

    @Test
    void oversizedPayloadsAreRefusedBeforeSending() throws Exception {
        MatrixTransport a = world.connect("alice");
        join(a);
        Bytes big = Bytes.wrap(new byte[MlsContent.MAX_PAYLOAD_BYTES + 1]);
        assertThatThrownBy(() -> a.sendToRoom(room, new ClientMessageId("big"), big))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e).hasMessageContaining("exceeds the Matrix event limit");
                });
        // the largest allowed payload goes through and comes back byte-exact
        Bytes max = Bytes.wrap(new byte[MlsContent.MAX_PAYLOAD_BYTES]);
        ServerId id = a.sendToRoom(room, new ClientMessageId("max"), max);
        assertThat(roomLog(owner)).singleElement().satisfies(m -> {
            assertThat(m.serverId()).isEqualTo(id);
            assertThat(m.payload()).isEqualTo(max);
        });
    }

    @Test
    void nonMatrixIdentitiesAreRefused() throws Exception {
        MatrixTransport a = world.connect("alice");
        assertThatThrownBy(() -> a.claimKeyPackage(new UserId("xmpp:alice@example.org")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> a.sendToRoom(new RoomId("room@muc"), new ClientMessageId("x"), b("x")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void aCursorFromAnotherLiveConnectionOfTheSameUserResumesThere() throws Exception {
        MatrixTransport a = world.connect("alice");
        MatrixTransport bob1 = world.connect("bob");
        join(a);
        join(bob1);
        a.sendToRoom(room, new ClientMessageId("m0"), b("m0"));
        List<Delivery> first = bob1.poll(Optional.empty(), 1, Duration.ZERO);
        assertThat(first).extracting(Delivery::event).containsExactly(new RoomEvent.MemberJoined(room, bob1.self()));
        a.sendToRoom(room, new ClientMessageId("m1"), b("m1"));
        a.sendToRoom(room, new ClientMessageId("m2"), b("m2"));
        // a second connection reads on (its batches may differ from the first one's: the homeserver
        // caches sync answers); the first connection resumes from any cursor it handed out
        MatrixTransport bob2 = world.connect("bob");
        List<Delivery> second = new ArrayList<>();
        Optional<Cursor> c = Optional.of(first.get(0).cursor());
        for (List<Delivery> page; !(page = bob2.poll(c, 1, Duration.ZERO)).isEmpty(); ) {
            second.addAll(page);
            c = Optional.of(page.get(0).cursor());
        }
        assertThat(second).extracting(d -> ((RoomEvent.RoomMessage) d.event()).payload())
                .containsExactly(b("m0"), b("m1"), b("m2"));
        for (int i = 0; i < second.size(); i++) {
            assertThat(drain(bob1, Optional.of(second.get(i).cursor())))
                    .isEqualTo(second.subList(i + 1, second.size()).stream().map(Delivery::event).toList());
        }
    }
}
