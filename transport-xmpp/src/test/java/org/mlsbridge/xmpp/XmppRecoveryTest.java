package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.TransportException;

/** Catching up after downtime: a member offline for a while, and the server restarted. */
class XmppRecoveryTest {
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

    private static boolean sameEpoch(XmppGroupWorld w, MemberClient a, MemberClient b) {
        return b.epoch(w.room).isPresent() && a.epochAuthenticator(w.room).equals(b.epochAuthenticator(w.room));
    }

    @Test
    void anOfflineMemberCatchesUpThroughTheArchiveInOrderOnce() throws Exception {
        try (XmppGroupWorld w = new XmppGroupWorld(fx, dir)) {
            MemberClient alice = w.creator("alice");
            w.member("bob");
            MemberClient carol = w.member("carol");
            w.until(() -> sameEpoch(w, alice, w.members.get("bob")) && sameEpoch(w, alice, carol), T);
            w.settle(T);
            w.takeOffline("bob");
            alice.send(w.room, XmppGroupWorld.text("m1"));
            alice.requestCommit(w.room); // a new epoch while bob is away
            w.settle(T);
            carol.send(w.room, XmppGroupWorld.text("m2"));
            MemberClient dave = w.member("dave"); // and a new member: another commit
            w.until(() -> sameEpoch(w, alice, dave), T);
            alice.send(w.room, XmppGroupWorld.text("m3"));
            w.until(() -> carol.received().size() == 2 && dave.received().size() == 1, T);
            w.settle(T);
            MemberClient bob = w.open("bob");
            w.until(() -> bob.received().size() >= 3 && sameEpoch(w, alice, bob), T);
            w.settle(Duration.ofSeconds(30));
            assertThat(XmppGroupWorld.drain(bob)).containsExactly("m1", "m2", "m3");
            assertThat(bob.counters().decryptionFailures()).isZero();
            bob.send(w.room, XmppGroupWorld.text("back"));
            w.until(() -> alice.received().stream().anyMatch(m -> XmppGroupWorld.text("back").equals(m.text())), T);
            assertThat(XmppGroupWorld.drain(alice)).containsExactly("m2", "back");
        }
    }

    @Test
    void afterAServerRestartEveryoneRecoversWithNothingLostOrDuplicated() throws Exception {
        try (XmppGroupWorld w = new XmppGroupWorld(fx, dir)) {
            MemberClient alice = w.creator("alice");
            MemberClient bob = w.member("bob");
            MemberClient carol = w.member("carol");
            w.until(() -> sameEpoch(w, alice, bob) && sameEpoch(w, alice, carol), T);
            w.settle(T);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                alice.send(w.room, XmppGroupWorld.text("before" + i));
                expected.add("before" + i);
            }
            w.until(() -> bob.received().size() == 3 && carol.received().size() == 3, T);
            fx.server.stop();
            try {
                alice.send(w.room, XmppGroupWorld.text("during"));
            } catch (TransportException e) {
                assertThat(e.retryable()).isTrue(); // queued in the outbox, sent once the server is back
            }
            expected.add("during");
            fx.server.startAgain();
            for (int i = 0; i < 3; i++) {
                try {
                    alice.send(w.room, XmppGroupWorld.text("after" + i));
                } catch (TransportException e) {
                    assertThat(e.retryable()).isTrue();
                }
                expected.add("after" + i);
            }
            w.until(() -> bob.received().size() == expected.size() && carol.received().size() == expected.size(), T);
            carol.send(w.room, XmppGroupWorld.text("carol after restart"));
            w.until(() -> alice.received().size() == 1 && bob.received().size() == expected.size() + 1, T);
            w.settle(Duration.ofSeconds(30));
            List<String> bobWants = new ArrayList<>(expected);
            bobWants.add("carol after restart");
            assertThat(XmppGroupWorld.drain(bob)).containsExactlyElementsOf(bobWants);
            assertThat(XmppGroupWorld.drain(carol)).containsExactlyElementsOf(expected);
            assertThat(XmppGroupWorld.drain(alice)).containsExactly("carol after restart");
            for (MemberClient c : List.of(alice, bob, carol)) {
                assertThat(c.counters().decryptionFailures()).isZero();
            }
        }
    }
}
