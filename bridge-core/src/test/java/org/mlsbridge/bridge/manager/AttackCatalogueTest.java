package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.group.MlsGroup;

/**
 * The attacks found against the group manager, one test each: each was reproduced against the
 * earlier code (where it succeeded for the attacker) and now asserts that it is refused, that
 * the refusal is counted with its reason, and that honest members still talk afterwards.
 * Numbering follows docs/security.md.
 */
class AttackCatalogueTest {
    @TempDir
    Path dir;

    /** Attack 5: a blank legacy label threw in every member, the event was retried forever, send() threw. */
    @Test
    void attack5_blankLegacyLabelIsDroppedNotRetried() throws Exception {
        try (Harness h = new Harness(dir)) {
            Room r = Room.of(h, "alice", "bob", "mallory");
            MlsGroup g = Attacker.groupOf(r.mallory, Harness.ROOM, h.options.groupConfig());
            r.attacker.post(Harness.ROOM, g.encrypt(Attacker.utf8("boom"), Attacker.utf8("legacy-plaintext: ")).encode());
            Attacker.saveGroup(r.mallory, g);
            h.members.remove(r.mallory.self()).close();
            h.settle();
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.FORGED_LEGACY_MARKER)).as(c.self().value()).isEqualTo(1);
                assertThat(c.received()).isEmpty();
                assertThat(c.droppedEvents()).extracting(DroppedEvent::reason).contains(DropReason.FORGED_LEGACY_MARKER);
            }
            r.assertHonestMembersTalk(h);
        }
    }

    /** Attack 7: any member spoke as another user through the legacy label (shown as not end-to-end encrypted). */
    @Test
    void attack7_legacyLabelFromAMemberIsRefused() throws Exception {
        try (Harness h = new Harness(dir)) {
            Room r = Room.of(h, "alice", "bob", "mallory");
            MlsGroup g = Attacker.groupOf(r.mallory, Harness.ROOM, h.options.groupConfig());
            for (UserId victim : List.of(r.alice.self(), Harness.user("somebody-outside"))) {
                r.attacker.post(Harness.ROOM, g.encrypt(Attacker.utf8("I owe mallory money"),
                        LegacyMarker.of(victim)).encode());
            }
            Attacker.saveGroup(r.mallory, g);
            h.members.remove(r.mallory.self()).close();
            h.settle();
            assertThat(r.bob.counters().dropped(DropReason.FORGED_LEGACY_MARKER)).isEqualTo(2);
            assertThat(r.bob.received()).isEmpty();
            r.assertHonestMembersTalk(h);
        }
    }

    /** alice created the group, the others joined the room and were added by the bot. */
    record Room(MemberClient alice, MemberClient bob, MemberClient mallory, Attacker attacker) {
        static Room of(Harness h, String creator, String member, String rogue) throws Exception {
            MemberClient a = h.creator(creator);
            MemberClient b = h.member(member);
            MemberClient m = h.member(rogue);
            h.net.join(Harness.ROOM, b.self());
            h.net.join(Harness.ROOM, m.self());
            h.settle();
            assertThat(m.epoch(Harness.ROOM)).isPresent();
            assertThat(b.epochAuthenticator(Harness.ROOM)).isEqualTo(a.epochAuthenticator(Harness.ROOM));
            return new Room(a, b, m, new Attacker(h.net, m.self()));
        }

        /** alice and bob still exchange messages, in the same epoch. */
        void assertHonestMembersTalk(Harness h) throws Exception {
            h.drainReceived();
            alice.send(Harness.ROOM, Harness.text("still here?"));
            bob.send(Harness.ROOM, Harness.text("yes"));
            h.settle();
            var got = h.drainReceived();
            assertThat(got.get(bob.self())).contains("still here?");
            assertThat(got.get(alice.self())).contains("yes");
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isEqualTo(alice.epochAuthenticator(Harness.ROOM));
        }
    }
}
