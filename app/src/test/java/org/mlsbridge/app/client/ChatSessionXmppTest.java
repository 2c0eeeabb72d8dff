package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two chat clients on a real Prosody, driven through their input and output streams: one creates
 * the room's group, the room's bot adds the other, each reads the other's message.
 */
class ChatSessionXmppTest {
    @TempDir
    Path dir;

    @Test
    void twoClientsTalkThroughTheRoomsGroup() throws Exception {
        try (XmppChatRoom chat = XmppChatRoom.open(dir)) {
            ChatDriver alice = chat.session("alice", dir);
            alice.type("/create");
            alice.await("group created with bot@localhost as external sender");
            ChatDriver bob = chat.admit("bob", dir);
            bob.await("*** in the group");
            alice.await("*** bob@localhost is now in the group");

            alice.type("hello bob");
            bob.await("<alice@localhost> hello bob");
            bob.type("hi alice");
            alice.await("<bob@localhost> hi alice");

            bob.type("/members");
            bob.await("    xmpp:alice@localhost  ");
            bob.await("    xmpp:bob@localhost  ");
            alice.type("/epoch");
            bob.type("/epoch");
            String aliceEpoch = alice.await("*** epoch ", ", authenticator ");
            String bobEpoch = bob.await("*** epoch ", ", authenticator ");
            assertThat(bobEpoch).isEqualTo(aliceEpoch);
            bob.type("/bogus");
            bob.await("! unknown command /bogus; /help lists them");

            alice.type("/quit");
            bob.type("/quit");
            assertThat(alice.exitCode()).isZero();
            assertThat(bob.exitCode()).isZero();
            assertThat(alice.lines).noneMatch(l -> l.startsWith("! ") && !l.contains("unknown command"));
        }
    }
}
