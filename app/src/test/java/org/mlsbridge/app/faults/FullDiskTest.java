package org.mlsbridge.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.store.StoreException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.StorageException;

/**
 * A member's disk fills up (its database on a size-limited tmpfs, filled to the last block), on a
 * real Prosody: while it is full, what the member is asked to send fails with a clear storage
 * error and goes nowhere, incoming messages are not taken (they stay on the server), and its
 * state does not move; once space returns it catches up on everything (a commit included) and
 * sends again, with nothing lost, nothing twice and no key reused.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskStopsTheMemberWithoutLossAndItResumesWhenSpaceReturns() throws Exception {
        try (FaultNetwork n = new XmppNetwork(); FaultWorld w = new FaultWorld(n, dir);
                Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 4)) {
            Conversation conv = new Conversation();
            conv.member(FaultWorld.WITNESS, n.user(FaultWorld.WITNESS).value());
            conv.member("alice", n.user("alice").value());
            MemberClient alice = w.addInProcess("alice", disk.path(), n.port());
            w.until(() -> alice.epoch(w.room).isPresent()
                    && alice.epochAuthenticator(w.room).equals(w.witness.epochAuthenticator(w.room)),
                    Duration.ofSeconds(60), "alice in the group");
            say(w, conv, FaultWorld.WITNESS, "w-1");
            say(w, conv, "alice", "a-1");
            w.until(() -> alice.received().size() == 1 && w.witness.received().size() == 1, Duration.ofSeconds(60),
                    "the first messages");
            for (int i = 0; i < 10; i++) {
                w.step();
            }
            // first the disk fills while alice only types: her sends fail, then space returns
            disk.fill();
            List<StorageException> sendFailures = new ArrayList<>();
            sendWhileFull(w, conv, alice, "a-full-first", sendFailures);
            disk.free();
            say(w, conv, "alice", "a-after-first");
            w.until(() -> received(w.witness).contains("a-after-first"), Duration.ofSeconds(60),
                    "alice's message after space returned");

            int wireAtFill = w.ledger.privateMessages();
            long epochAtFill = alice.epoch(w.room).orElseThrow();
            // then it fills while the others talk and change the epoch
            disk.fill();
            say(w, conv, FaultWorld.WITNESS, "w-2");
            w.witness.requestCommit(w.room);
            say(w, conv, FaultWorld.WITNESS, "w-3");
            w.until(() -> w.storageFailures.containsKey("alice"), Duration.ofSeconds(60),
                    "alice's step failing on the full disk");
            StorageException stepFailure = w.storageFailures.get("alice");
            assertThat(stepFailure).isInstanceOf(StoreException.class);
            assertThat(((StoreException) stepFailure).kind()).isEqualTo(StoreException.Kind.IO);
            assertThat(stepFailure.getMessage()).containsIgnoringCase("disk is full");

            // from here on alice's state does not move: what she is asked to send is refused, what arrives waits
            long epochBefore = alice.epoch(w.room).orElseThrow();
            Bytes authBefore = alice.epochAuthenticator(w.room).orElseThrow();
            int held = alice.received().size();
            int stored = 0;
            for (int i = 0; i < 3; i++) {
                stored += sendWhileFull(w, conv, alice, "a-full-" + i, sendFailures);
            }
            assertThat(sendFailures).as("sends refused on a full disk").hasSize(4)
                    .allSatisfy(e -> assertThat(e.getMessage()).containsIgnoringCase("disk is full"));
            for (int i = 0; i < 10; i++) {
                w.step();
            }
            assertThat(alice.epoch(w.room)).contains(epochBefore);
            assertThat(alice.epochAuthenticator(w.room)).contains(authBefore);
            assertThat(alice.received()).hasSize(held);
            // on the wire: the witness's two messages and whatever alice stored before a send was refused
            int storedWhileFull = stored;
            w.until(() -> w.ledger.privateMessages() == wireAtFill + 2 + storedWhileFull, Duration.ofSeconds(30),
                    "the messages sent while alice's disk was full");
            for (int i = 0; i < 10; i++) {
                w.step();
            }
            assertThat(w.ledger.privateMessages()).isEqualTo(wireAtFill + 2 + storedWhileFull);

            disk.free();
            w.storageFailures.clear();
            w.until(() -> received(alice).containsAll(List.of("w-2", "w-3")) && alice.epochAuthenticator(w.room)
                    .equals(w.witness.epochAuthenticator(w.room)), Duration.ofSeconds(60), "alice catching up");
            assertThat(alice.epoch(w.room).orElseThrow()).isGreaterThan(epochAtFill);
            say(w, conv, "alice", "a-2");
            say(w, conv, FaultWorld.WITNESS, "w-4");
            String summary = Verdict.check(w, conv, Duration.ofSeconds(60));
            System.out.println("full disk test: " + sendFailures.size() + " sends refused while full; " + summary);
        }
    }

    /**
     * Alice is asked to send on the full disk until a send is refused (SQLite may still have room
     * in its write-ahead log for a message or two: those are stored and sent). A refused one must
     * fail with a storage error and store nothing (checked at the end: nobody receives it).
     */
    private static int sendWhileFull(FaultWorld w, Conversation conv, MemberClient alice, String text,
            List<StorageException> failures) throws Exception {
        int before = failures.size();
        int storedCount = 0;
        for (int i = 0; i < 20 && failures.size() == before; i++) {
            String t = text + "." + i;
            conv.asked("alice", t);
            long stored = alice.counters().messagesOut();
            try {
                alice.send(w.room, text(t));
                conv.answer("sent " + t);
            } catch (StorageException e) {
                boolean refused = alice.counters().messagesOut() == stored;
                conv.answer((refused ? "failed " : "sent ") + t);
                if (refused) {
                    failures.add(e);
                }
            }
            storedCount += alice.counters().messagesOut() > stored ? 1 : 0;
        }
        return storedCount;
    }

    private static List<String> received(MemberClient c) {
        return c.received().stream().map(m -> new String(m.text().toByteArray(), StandardCharsets.UTF_8)).toList();
    }

    private static Bytes text(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void say(FaultWorld w, Conversation conv, String who, String text) throws Exception {
        conv.asked(who, text);
        MemberClient c = who.equals(FaultWorld.WITNESS) ? w.witness : w.inProcess.get(who);
        assertThat(c.send(w.room, text(text))).as(who + " sends " + text).isPresent();
        conv.answer("sent " + text);
    }
}
