package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;

/** bridge-core's member clients and external-sender bot over XMPP on a real Prosody. */
class XmppGroupTest {
    private static final Duration T = Duration.ofSeconds(60);
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

    @Test
    void threeMembersAndTheBotTalkAndAMemberWhoLeavesCannotRead() throws Exception {
        try (XmppGroupWorld w = new XmppGroupWorld(fx, dir)) {
            MemberClient alice = w.creator("alice");
            MemberClient bob = w.member("bob");
            MemberClient carol = w.member("carol");
            // KeyPackages were claimed from PEP, the Welcomes came through the users' archives
            w.until(() -> bob.epoch(w.room).isPresent() && carol.epoch(w.room).isPresent()
                    && bob.epochAuthenticator(w.room).equals(alice.epochAuthenticator(w.room))
                    && carol.epochAuthenticator(w.room).equals(alice.epochAuthenticator(w.room)), T);
            w.settle(T);
            assertThat(w.bot.groupMembers(w.room)).containsExactlyInAnyOrder(w.user("alice"), w.user("bob"),
                    w.user("carol"));
            alice.send(w.room, XmppGroupWorld.text("hello"));
            bob.send(w.room, XmppGroupWorld.text("hi alice"));
            w.until(() -> carol.received().size() == 2 && alice.received().size() == 1, T);
            assertThat(XmppGroupWorld.drain(alice)).containsExactly("hi alice");
            assertThat(XmppGroupWorld.drain(bob)).containsExactly("hello");
            assertThat(XmppGroupWorld.drain(carol)).containsExactly("hello", "hi alice");
            // carol leaves: her membership is revoked, the bot proposes her removal, a member commits
            w.botTransport.admin().revokeMembership(w.room, w.user("carol"));
            w.until(() -> alice.groupMembers(w.room).size() == 2 && bob.groupMembers(w.room).size() == 2, T);
            w.settle(T);
            alice.send(w.room, XmppGroupWorld.text("carol is gone"));
            w.until(() -> bob.received().size() == 1, T);
            w.settle(Duration.ofSeconds(20));
            assertThat(XmppGroupWorld.drain(bob)).containsExactly("carol is gone");
            assertThat(XmppGroupWorld.drain(carol)).isEmpty();
            assertThat(carol.epoch(w.room).orElse(-1L)).isLessThan(alice.epoch(w.room).orElseThrow());
            for (MemberClient c : new MemberClient[] {alice, bob}) {
                assertThat(c.counters().decryptionFailures()).isZero();
            }
        }
    }
}
