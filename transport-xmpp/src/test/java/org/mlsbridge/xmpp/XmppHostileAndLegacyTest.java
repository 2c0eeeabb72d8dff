package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.xmpp.stanza.MlsNamespace;

/** A room with MLS members, a plain XMPP client, and that client sending hostile stanzas. */
class XmppHostileAndLegacyTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final String NS = MlsNamespace.NAMESPACE;
    private static XmppFixture fx;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        fx = new XmppFixture();
    }

    @AfterAll
    static void stopServer() throws Exception {
        fx.close();
    }

    private static StandardExtensionElement mls(String text) {
        return StandardExtensionElement.builder("mls", NS).setText(text).build();
    }

    /** Elements nested {@code levels} deep, in a namespace of no one's. */
    private static StandardExtensionElement deep(int levels) {
        StandardExtensionElement e = StandardExtensionElement.builder("d", "urn:other").setText("bottom").build();
        for (int i = 1; i < levels; i++) {
            e = StandardExtensionElement.builder("d", "urn:other").addElement(e).build();
        }
        return e;
    }

    private static String base64(int n) {
        return Base64.getEncoder().encodeToString(new byte[n]);
    }

    @Test
    void aPlainClientSeesOnlyTheFallbackAndHostileStanzasAreDroppedAndCounted() throws Exception {
        try (XmppGroupWorld w = new XmppGroupWorld(fx, dir)) {
            MemberClient alice = w.creator("alice");
            MemberClient bob = w.member("bob");
            String plainAccount = fx.newUser("plain");
            w.botTransport.admin().grantMembership(w.room, XmppFixture.userId(plainAccount));
            try (PlainXmppClient plain = new PlainXmppClient(fx.server.account(plainAccount))) {
                plain.join(w.room);
                w.until(() -> bob.epoch(w.room).isPresent()
                        && bob.epochAuthenticator(w.room).equals(alice.epochAuthenticator(w.room)), T);
                w.settle(T);
                assertThat(w.bot.legacyUsers(w.room)).contains(XmppFixture.userId(plainAccount));

                alice.send(w.room, XmppGroupWorld.text("the secret plaintext"));
                w.until(() -> bob.received().size() == 1, T);
                long deadline = System.nanoTime() + T.toNanos();
                while (plain.received.stream().noneMatch(m -> m.getExtension(NS) != null)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Message seen = plain.received.stream().filter(m -> m.getExtension(NS) != null).findFirst().orElseThrow();
                assertThat(seen.getBody()).isEqualTo(MlsNamespace.FALLBACK_BODY);
                for (Message m : plain.received) {
                    assertThat(m.toXML().toString()).doesNotContain("the secret plaintext");
                }
                XmppTransport at = w.transports.get("alice");
                XmppTransport bt = w.transports.get("bob");
                long droppedBefore = at.counters().droppedTotal();
                long ignoredBefore = at.counters().ignoredTotal();
                long plainBefore = alice.counters().plainMessagesIgnored();

                plain.sendToRoom(w.room, "x", mls(""));                                  // missing payload
                plain.sendToRoom(w.room, "x", mls("not base64!"));                       // bad base64
                plain.sendToRoom(w.room, "x", mls("QUJD"), mls("QUJD"));                 // several payloads
                plain.sendToRoom(w.room, "x", StandardExtensionElement.builder("mls", NS)
                        .addElement("inner", "QUJD").build());                          // child element
                plain.sendToRoom(w.room, "x", mls(base64(XmppConfig.DEFAULT_MAX_PAYLOAD_BYTES + 5 * 1024))); // huge
                plain.sendToRoom(w.room, "x", mls("QUJD"), StandardExtensionElement.builder("x",
                        "http://jabber.org/protocol/muc#user").addElement(StandardExtensionElement.builder("item",
                                "http://jabber.org/protocol/muc#user").addAttribute("jid", w.user("alice").value()
                                        .substring(5)).build()).build());               // forged real JID
                plain.sendToRoom(w.room, "x", StandardExtensionElement.builder("mls", "urn:other")
                        .setText("QUJD").build());                                       // wrong namespace
                plain.sendToRoom(w.room, "just chatting");                               // plain chat
                plain.sendToRoom(w.room, "x".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES + 1)); // plain, too long
                plain.sendChat(JidCreate.entityBareFrom(w.user("bob").value().substring(5)),
                        StandardExtensionElement.builder("welcome", NS).setText("QUJD").build()); // Welcome without room
                // Last, since the plain client's own Smack may close its connection on their reflections:
                plain.sendToRoom(w.room, "x", mls("QUJD"), StandardExtensionElement.builder("error", "urn:other")
                        .build());                                  // an error child without type: Smack throws
                plain.sendToRoom(w.room, "x", deep(99));     // 101 levels in the stream: beyond the JDK StAX limit (JDK 24+)

                deadline = System.nanoTime() + T.toNanos();
                // Three carry a body and nothing of ours (the wrong namespace's, the chat, the deep one's):
                // plain text, which the MLS client leaves alone without counting a drop.
                while ((at.counters().droppedTotal() < droppedBefore + 8
                        || alice.counters().plainMessagesIgnored() < plainBefore + 3) && System.nanoTime() < deadline) {
                    w.settle(Duration.ofSeconds(10));
                }
                assertThat(at.counters().droppedTotal()).as(at.counters().toString()).isEqualTo(droppedBefore + 8);
                assertThat(at.counters().droppedByReason()).containsKey("stanza Smack cannot parse")
                        .containsKey("plain body over " + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes");
                assertThat(at.counters().ignoredTotal()).isEqualTo(ignoredBefore);
                assertThat(alice.counters().plainMessagesIgnored()).isEqualTo(plainBefore + 3);
                assertThat(alice.counters().droppedMessages()).isZero();
                assertThat(at.counters().droppedByReason()).containsKey("occupant message carries a muc#user element");
                w.until(() -> bt.counters().droppedByReason().keySet().stream().anyMatch(r -> r.contains("welcome")), T);

                // the room keeps working, and nothing the plain client sent reached the MLS clients
                bob.send(w.room, XmppGroupWorld.text("still working"));
                w.until(() -> alice.received().size() == 1, T);
                w.settle(Duration.ofSeconds(20));
                assertThat(XmppGroupWorld.drain(alice)).containsExactly("still working");
                assertThat(XmppGroupWorld.drain(bob)).containsExactly("the secret plaintext");
                assertThat(alice.epochAuthenticator(w.room)).isEqualTo(bob.epochAuthenticator(w.room));
            }
        }
    }

    /** Plain text both ways: a chat client's body arrives as a PlainMessage from its real JID; a text post once per id. */
    @Test
    void plainTextArrivesFromItsRealSenderAndTextPostsAreIdempotent() throws Exception {
        XmppTransport owner = fx.connect(fx.newUser("owner"));
        RoomId room = fx.newRoom(owner);
        String reader = fx.newUser("reader");
        String plainAccount = fx.newUser("plain");
        owner.admin().grantMembership(room, XmppFixture.userId(reader));
        owner.admin().grantMembership(room, XmppFixture.userId(plainAccount));
        XmppTransport readerTransport = fx.connect(reader);
        readerTransport.join(room);
        try (PlainXmppClient plain = new PlainXmppClient(fx.server.account(plainAccount))) {
            plain.join(room);
            plain.sendToRoom(room, "hello, a plain client here\nsecond line");
            // the plain client's send does not wait for the room: its own copy coming back says the
            // room has it, so the bridge's post below is ordered after it
            long reflected = System.nanoTime() + T.toNanos();
            while (plain.received.stream().noneMatch(m -> "hello, a plain client here\nsecond line".equals(m.getBody()))
                    && System.nanoTime() < reflected) {
                Thread.sleep(20);
            }
            ServerId first = owner.sendTextToRoom(room, new ClientMessageId("text-1"), "[via bridge] a post");
            assertThat(owner.sendTextToRoom(room, new ClientMessageId("text-1"), "[via bridge] a post")).isEqualTo(first);
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(TransportException.class,
                    () -> owner.sendTextToRoom(room, new ClientMessageId("text-2"),
                            "y".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES + 1))).retryable()).isFalse();

            java.util.List<RoomEvent.PlainMessage> seen = new java.util.ArrayList<>();
            java.util.Optional<org.mlsbridge.bridge.transport.Cursor> cursor = java.util.Optional.empty();
            long deadline = System.nanoTime() + T.toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                for (Delivery d : readerTransport.poll(cursor, 50, Duration.ofMillis(500))) {
                    cursor = java.util.Optional.of(d.cursor());
                    if (d.event() instanceof RoomEvent.PlainMessage p) {
                        seen.add(p);
                    }
                }
            }
            assertThat(seen).extracting(p -> p.sender().value() + ": " + p.text()).containsExactly(
                    XmppFixture.userId(plainAccount).value() + ": hello, a plain client here\nsecond line",
                    owner.self().value() + ": [via bridge] a post");
            assertThat(seen.get(1).serverId()).isEqualTo(first);
            deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(plain.received.stream().filter(m -> "[via bridge] a post".equals(m.getBody()))).hasSize(1);
        }
    }
}
