package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.faults.Tmpfs;

/**
 * The chat client whose disk fills up (its database on a size-limited tmpfs), on a real Prosody:
 * what the user types is refused with the reason and sent nowhere, the client says once that
 * incoming messages wait on the server, keeps running, and once space returns shows what arrived
 * meanwhile and sends again.
 */
class ChatSessionFullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskRefusesInputClearlyAndTheClientResumesWhenSpaceReturns() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 4); XmppChatRoom chat = XmppChatRoom.open(dir)) {
            ChatDriver alice = chat.session("alice", disk.path());
            alice.type("/create");
            alice.await("group created");
            ChatDriver bob = chat.admit("bob", dir);
            bob.await("*** in the group");
            alice.await("*** bob@localhost is now in the group");
            alice.type("before");
            bob.await("<alice@localhost> before");

            disk.fill();
            // SQLite may still have room in its write-ahead log for a line or two: those are stored and
            // sent; the first line that needs a new block is refused and goes nowhere
            String refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                alice.type("while full " + i);
                String answer = alice.await("! ", "disk is full");
                if (answer.contains("not done, nothing was stored or sent: cannot write the database")) {
                    refused = "while full " + i;
                } else {
                    assertThat(answer).contains("stored and sent, but the database failed afterwards");
                    bob.await("<alice@localhost> while full " + i);
                }
            }
            assertThat(refused).as("a line refused on the full disk").isNotNull();
            bob.type("hello alice");
            alice.await("! cannot write the database, incoming messages wait on the server", "disk is full");

            disk.free();
            alice.await("*** the database works again");
            alice.await("<bob@localhost> hello alice");
            alice.type("after");
            bob.await("<alice@localhost> after");
            alice.type("/quit");
            bob.type("/quit");
            assertThat(alice.exitCode()).isZero();
            assertThat(bob.exitCode()).isZero();
            String neverSent = refused;
            assertThat(bob.lines).noneMatch(l -> l.endsWith("> " + neverSent));
            assertThat(bob.lines.stream().filter(l -> l.contains("> while full")).distinct().count())
                    .isEqualTo(bob.lines.stream().filter(l -> l.contains("> while full")).count());
            assertThat(alice.lines.stream().filter(l -> l.contains("hello alice"))).hasSize(1);
        }
    }
}
