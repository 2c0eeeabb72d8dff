package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlsbridge.xmpp.XmppFixture.messages;
import static org.mlsbridge.xmpp.XmppFixture.pollUntil;
import static org.mlsbridge.xmpp.XmppFixture.userId;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The transport contract that InMemoryNetworkTest pins, run against XmppTransport on a real
 * Prosody. Where XMPP differs by design it says so: a room's archive is readable by members from
 * its start (not only from their join), and a PEP claim does not delete (the owner retracts).
 */
class XmppConformanceTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static XmppFixture fx;

    @BeforeAll
    static void startServer() throws Exception {
        fx = new XmppFixture();
    }

    @AfterAll
    static void stopServer() throws Exception {
        fx.close();
    }

    private static Bytes b(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Transport t, RoomId room, String prefix, int n) {
        try {
            for (int i = 0; i < n; i++) {
                t.sendToRoom(room, new ClientMessageId(prefix + i), b(prefix + i));
            }
        } catch (TransportException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyMemberSeesTheSameTotalOrderIncludingOwnMessages() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        XmppTransport bob = fx.connect(fx.newUser("bob"));
        RoomId room = fx.newRoom(a);
        a.admin().grantMembership(room, bob.self());
        bob.join(room);
        Thread t1 = Thread.ofVirtual().start(() -> send(a, room, "a", 25));
        Thread t2 = Thread.ofVirtual().start(() -> send(bob, room, "b", 25));
        t1.join();
        t2.join();
        var seenA = messages(pollUntil(a, Optional.empty(), e -> messages(e).size() >= 50, T));
        var seenB = messages(pollUntil(bob, Optional.empty(), e -> messages(e).size() >= 50, T));
        assertThat(seenA).hasSize(50).isEqualTo(seenB);
        for (RoomEvent.RoomMessage m : seenA) {
            String text = new String(m.payload().toByteArray(), StandardCharsets.UTF_8);
            assertThat(m.sender()).isEqualTo(text.startsWith("a") ? a.self() : bob.self());
        }
    }

    @Test
    void resendingWithTheSameClientIdDeliversOnceAlsoFromANewConnection() throws Exception {
        String alice = fx.newUser("alice");
        XmppTransport a = fx.connect(alice);
        RoomId room = fx.newRoom(a);
        ServerId first = a.sendToRoom(room, new ClientMessageId("x"), b("hi"));
        assertThat(a.sendToRoom(room, new ClientMessageId("x"), b("hi"))).isEqualTo(first);
        a.close(); // as a crash after sending, before the caller stored the answer
        XmppTransport again = fx.connect(alice);
        again.join(room);
        assertThat(again.sendToRoom(room, new ClientMessageId("x"), b("hi"))).isEqualTo(first);
        again.sendToRoom(room, new ClientMessageId("y"), b("next"));
        var all = messages(pollUntil(again, Optional.empty(), e -> messages(e).size() >= 2, T));
        assertThat(all).extracting(RoomEvent.RoomMessage::payload).containsExactly(b("hi"), b("next"));
        assertThat(all.get(0).serverId()).isEqualTo(first);
    }

    @Test
    void offlineMemberCatchesUpInOrderFromItsCursorOnANewConnection() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        String bobName = fx.newUser("bob");
        String carolName = fx.newUser("carol");
        RoomId room = fx.newRoom(a);
        a.admin().grantMembership(room, userId(bobName));
        XmppTransport bob = fx.connect(bobName);
        bob.join(room);
        List<Delivery> first = pollUntil(bob, Optional.empty(),
                e -> e.contains(new RoomEvent.MemberJoined(room, bob.self())), T);
        Cursor saved = first.get(first.size() - 1).cursor();
        bob.close();
        send(a, room, "m", 20);
        a.admin().grantMembership(room, userId(carolName));
        XmppTransport bob2 = fx.connect(bobName);
        List<RoomEvent> caught = pollUntil(bob2, Optional.of(saved),
                e -> e.contains(new RoomEvent.MemberJoined(room, userId(carolName))), T)
                .stream().map(Delivery::event).toList();
        assertThat(caught).hasSize(21);
        for (int i = 0; i < 20; i++) {
            assertThat(((RoomEvent.RoomMessage) caught.get(i)).payload()).isEqualTo(b("m" + i));
        }
        assertThat(caught.get(20)).isEqualTo(new RoomEvent.MemberJoined(room, userId(carolName)));
        // paging: max bounds a batch and each cursor resumes right after its event
        List<Delivery> page = bob2.poll(Optional.of(saved), 5, Duration.ZERO);
        assertThat(page).hasSize(5);
        assertThat(bob2.poll(Optional.of(page.get(4).cursor()), 1, Duration.ZERO).get(0).event())
                .isEqualTo(caught.get(5));
        assertThatThrownBy(() -> bob.poll(Optional.empty(), 1, Duration.ZERO)).isInstanceOf(TransportException.class);
    }

    @Test
    void aRevokedMemberSeesItsLeaveThenCannotSendAndABannedUserCannotEnter() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        XmppTransport bob = fx.connect(fx.newUser("bob"));
        XmppTransport carol = fx.connect(fx.newUser("carol"));
        RoomId room = fx.newRoom(a);
        a.admin().grantMembership(room, bob.self());
        bob.join(room);
        a.sendToRoom(room, new ClientMessageId("during"), b("during"));
        List<Delivery> before = pollUntil(bob, Optional.empty(), e -> messages(e).size() == 1, T);
        a.admin().revokeMembership(room, bob.self());
        List<RoomEvent> bobs = new ArrayList<>(before.stream().map(Delivery::event).toList());
        bobs.addAll(pollUntil(bob, Optional.of(before.get(before.size() - 1).cursor()),
                e -> e.contains(new RoomEvent.MemberLeft(room, bob.self())), T).stream().map(Delivery::event).toList());
        a.sendToRoom(room, new ClientMessageId("after"), b("after"));
        assertThat(messages(bobs)).extracting(RoomEvent.RoomMessage::payload).containsExactly(b("during"));
        assertThat(bobs.get(bobs.size() - 1)).isEqualTo(new RoomEvent.MemberLeft(room, bob.self()));
        assertThatThrownBy(() -> bob.sendToRoom(room, new ClientMessageId("z"), b("z")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        a.admin().ban(room, carol.self());
        assertThatThrownBy(() -> carol.join(room))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        List<RoomEvent> alices = pollUntil(a, Optional.empty(), e -> messages(e).size() >= 2, T)
                .stream().map(Delivery::event).toList();
        assertThat(alices).contains(new RoomEvent.MemberJoined(room, bob.self()),
                new RoomEvent.MemberLeft(room, bob.self()));
        assertThat(a.members(room)).containsExactly(a.self());
    }

    @Test
    void keyPackagesAreHandedOutOnceThenLastResortUntilRetracted() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        String bobName = fx.newUser("bob");
        XmppTransport bob = fx.connect(bobName);
        assertThat(bob.claimKeyPackage(a.self())).isEmpty();
        a.publishKeyPackages(List.of(new PublishedKeyPackage(b("r1"), b("kp1")),
                new PublishedKeyPackage(b("r2"), b("kp2"))), Optional.of(new PublishedKeyPackage(b("rL"), b("kpL"))));
        a.publishKeyPackages(List.of(new PublishedKeyPackage(b("r1"), b("kp1"))), Optional.empty()); // no-op
        assertThat(a.availableKeyPackages()).isEqualTo(2);
        a.retractKeyPackage(b("r2"));
        a.retractKeyPackage(b("unknown"));
        assertThat(bob.claimKeyPackage(a.self())).contains(b("kp1"));
        assertThat(bob.claimKeyPackage(a.self())).contains(b("kpL"));
        assertThat(bob.claimKeyPackage(a.self())).contains(b("kpL"));
        // PEP cannot delete on read: the owner retracts what a join used
        a.retractKeyPackage(b("r1"));
        assertThat(a.availableKeyPackages()).isZero();
        XmppTransport bob2 = fx.connect(bobName);
        assertThat(bob2.claimKeyPackage(a.self())).contains(b("kpL"));
        // a new last_resort replaces the old one
        a.publishKeyPackages(List.of(), Optional.of(new PublishedKeyPackage(b("rL2"), b("kpL2"))));
        assertThat(bob2.claimKeyPackage(a.self())).contains(b("kpL2"));
    }

    @Test
    void welcomesReachOnlyTheAddresseeEvenWhileOfflineAndPollWakesUp() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        XmppTransport bob = fx.connect(fx.newUser("bob"));
        String carolName = fx.newUser("carol");
        RoomId room = new RoomId("any@" + ProsodyServer.MUC);
        CountDownLatch started = new CountDownLatch(1);
        List<Delivery> got = new ArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                started.countDown();
                got.addAll(bob.poll(Optional.empty(), 10, Duration.ofSeconds(15)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        started.await();
        Thread.sleep(200);
        a.sendToUser(bob.self(), room, new ClientMessageId("w"), b("welcome"));
        a.sendToUser(bob.self(), room, new ClientMessageId("w"), b("welcome"));
        waiter.join(15_000);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).event()).isInstanceOfSatisfying(RoomEvent.WelcomeReceived.class, w -> {
            assertThat(w.welcome()).isEqualTo(b("welcome"));
            assertThat(w.sender()).isEqualTo(a.self());
            assertThat(w.room()).isEqualTo(room);
        });
        assertThat(bob.poll(Optional.of(got.get(0).cursor()), 10, Duration.ofMillis(500))).isEmpty();
        assertThat(a.poll(Optional.empty(), 10, Duration.ZERO)).isEmpty();
        // offline: stored, delivered once at login, and once per replay from the start
        a.sendToUser(userId(carolName), room, new ClientMessageId("w2"), b("for carol"));
        XmppTransport carol = fx.connect(carolName);
        List<Delivery> carols = pollUntil(carol, Optional.empty(), e -> !e.isEmpty(), T);
        assertThat(carol.poll(Optional.of(carols.get(0).cursor()), 10, Duration.ofMillis(500))).isEmpty();
        assertThat(carols).hasSize(1);
        XmppTransport carol2 = fx.connect(carolName);
        assertThat(carol2.poll(Optional.empty(), 10, Duration.ofSeconds(2))).hasSize(1);
        // a resend from a new connection after a crash is recognised in the sender's archive
        XmppTransport a2 = fx.connect(a.self().value().substring(5, a.self().value().indexOf('@')));
        a2.sendToUser(userId(carolName), room, new ClientMessageId("w2"), b("for carol"));
        assertThat(carol2.poll(Optional.of(carols.get(0).cursor()), 10, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void foreignOrFutureCursorsAreRefused() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        XmppTransport bob = fx.connect(fx.newUser("bob"));
        RoomId room = fx.newRoom(a);
        a.sendToRoom(room, new ClientMessageId("one"), b("one"));
        List<Delivery> got = pollUntil(a, Optional.empty(), e -> messages(e).size() == 1, T);
        Cursor mine = got.get(got.size() - 1).cursor();
        assertThatThrownBy(() -> a.poll(Optional.of(new Cursor("mem:99")), 1, Duration.ZERO))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> bob.poll(Optional.of(mine), 1, Duration.ZERO))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        XmppCursor decoded = XmppCursor.decode(mine);
        var p = decoded.room(room.value());
        Cursor future = decoded.withRoom(room.value(),
                new org.mlsbridge.xmpp.room.RoomPosition("no-such-id", 0, p.members())).encode();
        XmppTransport a2 = fx.connect(a.self().value().substring(5, a.self().value().indexOf('@')));
        assertThatThrownBy(() -> a2.poll(Optional.of(future), 1, Duration.ZERO))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void aPayloadOverTheLimitIsRefusedBeforeSending() throws Exception {
        XmppTransport a = fx.connect(fx.newUser("alice"));
        RoomId room = fx.newRoom(a);
        Bytes big = Bytes.wrap(new byte[XmppConfig.DEFAULT_MAX_PAYLOAD_BYTES + 1]);
        assertThatThrownBy(() -> a.sendToRoom(room, new ClientMessageId("big"), big))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> a.sendToUser(a.self(), room, new ClientMessageId("bigw"), big))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        // the largest allowed payload goes through: the default limit fits Prosody's stanza limit
        Bytes max = Bytes.wrap(new byte[XmppConfig.DEFAULT_MAX_PAYLOAD_BYTES]);
        ServerId id = a.sendToRoom(room, new ClientMessageId("max"), max);
        assertThat(messages(pollUntil(a, Optional.empty(), e -> messages(e).size() == 1, T)).get(0).serverId())
                .isEqualTo(id);
    }
}
