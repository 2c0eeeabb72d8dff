package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlsbridge.xmpp.XmppFixture.messages;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.servers.CuttingProxy;

/**
 * A connection lost again while it is being re-established: the reconnect itself is cut at one
 * step of the login (the stream's first features, the SASL challenge, SASL success, the resumed
 * stream), twice in a row. The transport must keep trying until it is back in its rooms and can
 * read and send; a member that gives up stays silent and behind for good (Smack's own
 * ReconnectionManager stopped after the first such cut at the first two steps).
 */
class XmppReconnectTest {
    private static final Duration T = Duration.ofSeconds(45);
    private static XmppFixture fx;

    @BeforeAll
    static void startServer() throws Exception {
        fx = new XmppFixture();
    }

    @AfterAll
    static void stopServer() throws Exception {
        fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<stream:features", "<challenge", "<success", "<resumed"})
    void aReconnectCutWhileLoggingInIsRetriedUntilTheMemberIsBack(String cutAfter) throws Exception {
        XmppTransport owner = fx.connect(fx.newUser("owner"));
        String name = fx.newUser("alice");
        RoomId room = fx.newRoom(owner);
        owner.admin().grantMembership(room, XmppFixture.userId(name));
        try (CuttingProxy proxy = new CuttingProxy(fx.server.account(name).port());
                XmppTransport alice = XmppTransport.connect(viaProxy(name, proxy))) {
            alice.join(room);
            int attempts = 2;
            proxy.cutAfter(cutAfter, attempts);
            proxy.severAll();
            waitUntil(() -> proxy.cutsLeft() == 0, "the reconnect attempts to reach the cut (" + cutAfter + ")");

            owner.sendToRoom(room, new ClientMessageId("after-cuts"), text("after the cuts"));
            assertThat(readUntil(alice, room, "after the cuts")).isEqualTo(owner.self());
            sendUntilAccepted(alice, room, "alice is back");
            assertThat(readUntil(owner, room, "alice is back")).isEqualTo(alice.self());
        }
    }

    /**
     * Polls the room from its start until {@code text} arrives and returns its sender. A poll that
     * fails with a retryable error (the connection is not back yet) is tried again, as every
     * caller of a transport does.
     */
    private static UserId readUntil(Transport t, RoomId room, String text) throws Exception {
        long deadline = System.nanoTime() + T.toNanos();
        TransportException last = null;
        while (System.nanoTime() < deadline) {
            try {
                for (RoomEvent.RoomMessage m : messages(t.poll(Optional.empty(), 500, Duration.ofMillis(200)))) {
                    if (m.room().equals(room) && is(m, text)) {
                        return m.sender();
                    }
                }
            } catch (TransportException e) {
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError(t.self() + " never read \"" + text + "\" (last error: " + last + ")");
    }

    private static void sendUntilAccepted(Transport t, RoomId room, String text) throws Exception {
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            try {
                t.sendToRoom(room, new ClientMessageId(text), text(text));
                return;
            } catch (TransportException e) {
                if (!e.retryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static XmppConfig viaProxy(String user, CuttingProxy proxy) {
        XmppConfig direct = fx.server.account(user);
        return new XmppConfig(direct.host(), proxy.port(), direct.domain(), direct.username(), direct.password(),
                direct.maxPayloadBytes(), direct.replyTimeout(), direct.resendLookback(), direct.tls());
    }

    private static void waitUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static Bytes text(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean is(RoomEvent.RoomMessage m, String s) {
        return new String(m.payload().toByteArray(), StandardCharsets.UTF_8).equals(s);
    }
}
