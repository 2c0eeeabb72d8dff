package org.mlsbridge.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;

class InMemoryNetworkTest {
    private static final RoomId ROOM = new RoomId("room@muc");
    private static final UserId ALICE = UserId.xmpp("alice@example.org");
    private static final UserId BOB = UserId.xmpp("bob@example.org");
    private static final UserId CAROL = UserId.xmpp("carol@example.org");

    private final InMemoryNetwork net = new InMemoryNetwork();

    private static Bytes b(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<RoomEvent> drain(Transport t, Optional<Cursor> after) throws Exception {
        List<RoomEvent> out = new ArrayList<>();
        for (Delivery d : t.poll(after, 1000, Duration.ZERO)) {
            out.add(d.event());
        }
        return out;
    }

    @Test
    void everyMemberSeesTheSameTotalOrderIncludingOwnMessages() throws Exception {
        net.join(ROOM, ALICE);
        net.join(ROOM, BOB);
        Transport a = net.connect(ALICE);
        Transport bob = net.connect(BOB);
        Thread t1 = Thread.ofVirtual().start(() -> send(a, "a", 50));
        Thread t2 = Thread.ofVirtual().start(() -> send(bob, "b", 50));
        t1.join();
        t2.join();
        List<RoomEvent> seenA = drain(a, Optional.empty());
        List<RoomEvent> seenB = drain(bob, Optional.empty());
        // alice also saw bob's join; from there on both streams are identical
        assertThat(seenA.subList(1, seenA.size())).isEqualTo(seenB);
        assertThat(seenB.stream().filter(e -> e instanceof RoomEvent.RoomMessage)).hasSize(100);
        assertThat(net.roomLog(ROOM)).hasSize(100);
    }

    private static void send(Transport t, String prefix, int n) {
        try {
            for (int i = 0; i < n; i++) {
                t.sendToRoom(ROOM, new ClientMessageId(prefix + i), b(prefix + i));
            }
        } catch (TransportException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void resendingWithTheSameClientIdDeliversOnce() throws Exception {
        net.join(ROOM, ALICE);
        Transport a = net.connect(ALICE);
        net.dropNextAcknowledgement(ALICE);
        assertThatThrownBy(() -> a.sendToRoom(ROOM, new ClientMessageId("x"), b("hi")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isTrue());
        ServerId first = a.sendToRoom(ROOM, new ClientMessageId("x"), b("hi"));
        ServerId second = a.sendToRoom(ROOM, new ClientMessageId("x"), b("hi"));
        assertThat(second).isEqualTo(first);
        assertThat(net.roomLog(ROOM)).hasSize(1);
        assertThat(net.roomLog(ROOM).get(0).serverId()).isEqualTo(first);
    }

    @Test
    void offlineMemberCatchesUpInOrderFromItsCursorOnANewConnection() throws Exception {
        net.join(ROOM, ALICE);
        net.join(ROOM, BOB);
        Transport bob = net.connect(BOB);
        List<Delivery> first = bob.poll(Optional.empty(), 10, Duration.ZERO);
        Cursor saved = first.get(first.size() - 1).cursor();
        bob.close();
        Transport a = net.connect(ALICE);
        send(a, "m", 20);
        net.join(ROOM, CAROL);
        Transport bob2 = net.connect(BOB);
        List<RoomEvent> caught = drain(bob2, Optional.of(saved));
        assertThat(caught).hasSize(21);
        for (int i = 0; i < 20; i++) {
            assertThat(((RoomEvent.RoomMessage) caught.get(i)).payload()).isEqualTo(b("m" + i));
        }
        assertThat(caught.get(20)).isEqualTo(new RoomEvent.MemberJoined(ROOM, CAROL));
        // paging: max bounds a batch and each cursor resumes right after its event
        List<Delivery> page = bob2.poll(Optional.of(saved), 5, Duration.ZERO);
        assertThat(page).hasSize(5);
        assertThat(drain(bob2, Optional.of(page.get(4).cursor())).get(0))
                .isEqualTo(caught.get(5));
        assertThatThrownBy(() -> bob.poll(Optional.empty(), 1, Duration.ZERO)).isInstanceOf(TransportException.class);
    }

    @Test
    void audienceIsFixedWhenTheEventHappens() throws Exception {
        net.join(ROOM, ALICE);
        Transport a = net.connect(ALICE);
        a.sendToRoom(ROOM, new ClientMessageId("before"), b("before"));
        net.join(ROOM, BOB);
        a.sendToRoom(ROOM, new ClientMessageId("during"), b("during"));
        net.leave(ROOM, BOB);
        a.sendToRoom(ROOM, new ClientMessageId("after"), b("after"));
        net.ban(ROOM, CAROL);
        List<RoomEvent> bobs = drain(net.connect(BOB), Optional.empty());
        assertThat(bobs).containsExactly(new RoomEvent.MemberJoined(ROOM, BOB),
                net.roomLog(ROOM).get(1), new RoomEvent.MemberLeft(ROOM, BOB));
        assertThatThrownBy(() -> net.join(ROOM, CAROL)).isInstanceOf(IllegalStateException.class);
        Transport bob = net.connect(BOB);
        assertThatThrownBy(() -> bob.sendToRoom(ROOM, new ClientMessageId("z"), b("z")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void keyPackagesAreHandedOutOnceThenLastResortForever() throws Exception {
        Transport a = net.connect(ALICE);
        Transport bob = net.connect(BOB);
        assertThat(bob.claimKeyPackage(ALICE)).isEmpty();
        a.publishKeyPackages(List.of(new PublishedKeyPackage(b("r1"), b("kp1")),
                new PublishedKeyPackage(b("r2"), b("kp2"))), Optional.of(new PublishedKeyPackage(b("rL"), b("kpL"))));
        assertThat(a.availableKeyPackages()).isEqualTo(2);
        a.retractKeyPackage(b("r2"));
        assertThat(bob.claimKeyPackage(ALICE)).contains(b("kp1"));
        assertThat(bob.claimKeyPackage(ALICE)).contains(b("kpL"));
        assertThat(bob.claimKeyPackage(ALICE)).contains(b("kpL"));
        assertThat(a.availableKeyPackages()).isZero();
    }

    @Test
    void welcomesReachOnlyTheAddresseeEvenWhileOfflineAndPollWakesUp() throws Exception {
        Transport a = net.connect(ALICE);
        Transport bob = net.connect(BOB);
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
        a.sendToUser(BOB, ROOM, new ClientMessageId("w"), b("welcome"));
        a.sendToUser(BOB, ROOM, new ClientMessageId("w"), b("welcome"));
        waiter.join(10_000);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).event()).isInstanceOfSatisfying(RoomEvent.WelcomeReceived.class,
                w -> assertThat(w.welcome()).isEqualTo(b("welcome")));
        assertThat(drain(a, Optional.empty())).isEmpty();
        assertThat(net.welcomeCount()).isEqualTo(1);
    }

    @Test
    void foreignOrFutureCursorsAreRefused() throws Exception {
        Transport a = net.connect(ALICE);
        assertThatThrownBy(() -> a.poll(Optional.of(new Cursor("mem:99")), 1, Duration.ZERO))
                .isInstanceOf(TransportException.class);
        assertThatThrownBy(() -> a.poll(Optional.of(new Cursor("s72_abc")), 1, Duration.ZERO))
                .isInstanceOf(TransportException.class);
    }
}
