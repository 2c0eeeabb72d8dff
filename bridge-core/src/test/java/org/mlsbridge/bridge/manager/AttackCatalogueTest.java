package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.UserId;
import java.util.Optional;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.trust.RoomBots;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.tree.LeafIndex;

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

    /** Attack 1: a room occupant joined by external commit under alice's name and read everything. */
    @Test
    void attack1_externalCommitUnderAnotherNameIsRefused() throws Exception {
        try (Harness h = new Harness(dir)) {
            Outsider r = Outsider.of(h);
            GroupInfo gi = Attacker.latestGroupInfo(h.net, Harness.ROOM);
            long epoch = r.alice.epoch(Harness.ROOM).orElseThrow();
            SignatureIdentity asAlice = r.mallory.identityNaming(r.alice.self(), h.options);
            ExternalJoin join = MlsGroup.joinByExternalCommit(gi, Optional.empty(), asAlice, Optional.empty(),
                    Bytes.EMPTY, h.options.groupConfig(), PskLookup.none());
            r.mallory.post(Harness.ROOM, join.commit().encode());
            h.settle();
            // the same as a resync that removes the real alice
            LeafIndex alicesLeaf = leafOf(gi, r.alice.self(), h);
            ExternalJoin resync = MlsGroup.joinByExternalCommit(gi, Optional.empty(),
                    r.mallory.identityNaming(r.alice.self(), h.options), Optional.of(alicesLeaf), Bytes.EMPTY,
                    h.options.groupConfig(), PskLookup.none());
            r.mallory.post(Harness.ROOM, resync.commit().encode());
            h.settle();
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.EXTERNAL_JOIN_IMPERSONATION)).as(c.self().value()).isEqualTo(2);
                assertThat(c.epoch(Harness.ROOM)).contains(epoch);
                assertThat(c.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(r.alice.self(), r.bob.self());
            }
            assertThat(h.bot.counters().dropped(DropReason.EXTERNAL_JOIN_IMPERSONATION)).isEqualTo(2);
            r.assertTalk(h);
        }
    }

    /** Attack 2: a junk PrivateMessage of epoch+1 made members delete their group; then a Welcome to the attacker's group. */
    @Test
    void attack2_clearHeaderCannotDropTheGroupNorLureIntoAnother() throws Exception {
        try (Harness h = new Harness(dir)) {
            Outsider r = Outsider.of(h);
            Bytes gid = Attacker.latestGroupInfo(h.net, Harness.ROOM).groupContext().groupId();
            long epoch = r.alice.epoch(Harness.ROOM).orElseThrow();
            r.mallory.post(Harness.ROOM, MlsMessage.of(new PrivateMessage(gid, epoch + 1, ContentType.APPLICATION,
                    Bytes.EMPTY, Bytes.wrap(new byte[32]), Bytes.wrap(new byte[64]))).encode());
            h.settle();
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.FUTURE_EPOCH)).as(c.self().value()).isEqualTo(1);
                assertThat(c.epoch(Harness.ROOM)).contains(epoch);
            }
            // mallory claims one of bob's KeyPackages and welcomes him into a group of her own
            MlsGroup evil = MlsGroup.create(r.mallory.identityNaming(r.mallory.account(), h.options), List.of(),
                    h.options.groupConfig(), PskLookup.none());
            var kp = (KeyPackage) MlsMessage.decode(h.net.connect(r.mallory.account())
                    .claimKeyPackage(r.bob.self()).orElseThrow()).body();
            CommitOutput out = evil.commit(CommitOptions.of(new Proposal.Add(kp)));
            h.net.connect(r.mallory.account()).sendToUser(r.bob.self(), Harness.ROOM, new ClientMessageId("lure"),
                    out.welcomeMessage().orElseThrow().encode());
            h.settle();
            assertThat(r.bob.counters().dropped(DropReason.INVALID_WELCOME)).isEqualTo(1); // he has the room's group
            assertThat(r.bob.epochAuthenticator(Harness.ROOM)).isEqualTo(r.alice.epochAuthenticator(Harness.ROOM));
            r.assertTalk(h);
        }
    }

    /** Attack 3: the bot adopted any self-consistent GroupInfo (forged epoch, ghost names on real leaves). */
    @Test
    void attack3_botAdoptsOnlyGroupInfosThatFollowACommitItVerified() throws Exception {
        try (Harness h = new Harness(dir)) {
            Outsider r = Outsider.of(h);
            GroupInfo real = Attacker.latestGroupInfo(h.net, Harness.ROOM);
            long epoch = real.groupContext().epoch();
            // a group of mallory's with the room's group id, the bot as external sender, a ghost at leaf 1
            MlsGroup evil = MlsGroup.create(r.mallory.identityNaming(r.alice.self(), h.options),
                    real.groupContext().groupId(), List.of(ExternalSender.toExtension(RoomBots.of(real.groupContext()))),
                    h.options.groupConfig(), PskLookup.none());
            SignatureIdentity ghost = r.mallory.identityNaming(Harness.user("ghost"), h.options);
            evil.commitAndMerge(CommitOptions.of(new Proposal.Add(KeyPackageBuilder.forIdentity(ghost).build()
                    .keyPackage())));
            while (evil.epoch() <= epoch) {
                evil.commitAndMerge(CommitOptions.empty());
            }
            r.mallory.post(Harness.ROOM, MlsMessage.of(evil.groupInfo(true, true)).encode());
            h.settle();
            assertThat(h.bot.epoch(Harness.ROOM)).contains(epoch);
            assertThat(h.bot.counters().dropped(DropReason.UNVERIFIED_GROUP_INFO)).isEqualTo(1);
            assertThat(h.bot.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(r.alice.self(), r.bob.self());
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.UNVERIFIED_GROUP_INFO)).as(c.self().value()).isEqualTo(1);
            }
            // the bot still follows the real group: a newcomer is added, everyone talks
            MemberClient carol = h.member("carol");
            h.net.join(Harness.ROOM, carol.self());
            h.settle();
            assertThat(carol.epochAuthenticator(Harness.ROOM)).isPresent().isEqualTo(r.alice.epochAuthenticator(Harness.ROOM));
            r.assertTalk(h);
        }
    }

    /** Attack 4: a self-signed external commit with a wrong confirmation tag sealed the bot's epoch. */
    @Test
    void attack4_anUnverifiableNewMemberCommitDoesNotHoldTheBotBack() throws Exception {
        try (Harness h = new Harness(dir)) {
            Outsider r = Outsider.of(h);
            MemberClient dave = h.member("dave");
            h.net.join(Harness.ROOM, dave.self());
            h.settle();
            GroupInfo gi = Attacker.latestGroupInfo(h.net, Harness.ROOM);
            ExternalJoin join = MlsGroup.joinByExternalCommit(gi, Optional.empty(),
                    r.mallory.identityNaming(r.mallory.account(), h.options), Optional.empty(), Bytes.EMPTY,
                    h.options.groupConfig(), PskLookup.none());
            PublicMessage pm = (PublicMessage) join.commit().body();
            PublicMessage broken = new PublicMessage(pm.content(), new FramedContentAuthData(pm.auth().signature(),
                    Optional.of(Bytes.wrap(new byte[32]))), pm.membershipTag());
            r.mallory.post(Harness.ROOM, MlsMessage.of(broken).encode());
            h.net.ban(Harness.ROOM, dave.self()); // the removal must not wait for the forged commit
            h.settle();
            assertThat(r.alice.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(r.alice.self(), r.bob.self());
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.INVALID_COMMIT)).as(c.self().value()).isEqualTo(1);
            }
            r.assertTalk(h);
        }
    }

    /** Attack 6: a PreSharedKey proposal nobody can resolve froze the epoch (and a removal with it). */
    @Test
    void attack6_unresolvablePskProposalCannotFreezeTheEpoch() throws Exception {
        try (Harness h = new Harness(dir)) {
            Room r = Room.of(h, "alice", "bob", "mallory");
            MlsGroup g = Attacker.groupOf(r.mallory, Harness.ROOM, h.options.groupConfig());
            r.attacker.post(Harness.ROOM, g.propose(new Proposal.PreSharedKey(
                    g.externalPskId(Attacker.utf8("nobody-has-this")))).message().encode());
            h.members.remove(r.mallory.self()).close();
            h.net.ban(Harness.ROOM, r.mallory.self());
            h.settle();
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.UNRESOLVABLE_PSK)).as(c.self().value()).isEqualTo(1);
                assertThat(c.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(r.alice.self(), r.bob.self());
            }
            r.assertHonestMembersTalk(h);
        }
    }

    /** Attack 8: a ReInit (or GroupContextExtensions) proposal from any member was committed and killed the room. */
    @Test
    void attack8_reInitAndContextChangesOnlyFromTheBot() throws Exception {
        try (Harness h = new Harness(dir)) {
            Room r = Room.of(h, "alice", "bob", "mallory");
            long epoch = r.alice.epoch(Harness.ROOM).orElseThrow();
            MlsGroup g = Attacker.groupOf(r.mallory, Harness.ROOM, h.options.groupConfig());
            Proposal reInit = new Proposal.ReInit(Attacker.utf8("new-group"), 1, h.options.suite(), List.of());
            r.attacker.post(Harness.ROOM, g.propose(reInit).message().encode());
            r.attacker.post(Harness.ROOM, g.propose(new Proposal.GroupContextExtensions(List.of())).message().encode());
            r.attacker.post(Harness.ROOM, g.commit(CommitOptions.of(reInit)).commit().encode());
            Attacker.saveGroup(r.mallory, g);
            h.members.remove(r.mallory.self()).close();
            h.settle();
            for (MemberClient c : List.of(r.alice, r.bob)) {
                assertThat(c.counters().dropped(DropReason.PROPOSAL_NOT_ALLOWED)).as(c.self().value()).isEqualTo(3);
                assertThat(c.counters().rejectedCommits()).isEqualTo(1);
                assertThat(c.epoch(Harness.ROOM)).contains(epoch);
            }
            r.assertHonestMembersTalk(h);
        }
    }

    private static LeafIndex leafOf(GroupInfo gi, UserId user, Harness h) {
        return ExternalRejoin.ownLeaf(gi, user, h.options.groupConfig()).orElseThrow();
    }

    /** alice and bob are members; mallory is in the room without MLS (no KeyPackages: a legacy user). */
    record Outsider(MemberClient alice, MemberClient bob, Attacker mallory) {
        static Outsider of(Harness h) throws Exception {
            MemberClient a = h.creator("alice");
            MemberClient b = h.member("bob");
            h.net.join(Harness.ROOM, b.self());
            UserId m = Harness.user("mallory");
            h.net.join(Harness.ROOM, m);
            h.settle();
            assertThat(b.epochAuthenticator(Harness.ROOM)).isPresent().isEqualTo(a.epochAuthenticator(Harness.ROOM));
            return new Outsider(a, b, new Attacker(h.net, m));
        }

        void assertTalk(Harness h) throws Exception {
            new Room(alice, bob, null, mallory).assertHonestMembersTalk(h);
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
