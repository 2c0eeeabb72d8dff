package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.KeyChange;
import org.mlsbridge.bridge.trust.RoomPolicies;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;

/**
 * The binding rules and the other weaknesses found with the attacks: each reproduced, refused,
 * counted, and the room still works.
 */
class TrustRulesTest {
    @TempDir
    Path dir;

    /** A KeyPackage claimed for mallory that names alice: the bot added a second "alice" (a hidden leaf). */
    @Test
    void aKeyPackageClaimedForAnAccountMustNameIt() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            Attacker mallory = new Attacker(h.net, Harness.user("mallory"));
            KeyPackageBundle fake = KeyPackageBuilder.forIdentity(mallory.identityNaming(alice.self(), h.options))
                    .build();
            h.net.connect(mallory.account()).publishKeyPackages(List.of(new PublishedKeyPackage(
                    fake.ref(h.options.groupConfig().crypto()), MlsMessage.of(fake.keyPackage()).encode())),
                    Optional.empty());
            h.net.join(Harness.ROOM, mallory.account());
            h.settle();
            assertThat(h.bot.counters().dropped(DropReason.KEY_PACKAGE_IDENTITY)).isEqualTo(1);
            assertThat(alice.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self());
            assertThat(h.bot.legacyUsers(Harness.ROOM)).doesNotContain(mallory.account());
            talk(h, alice, bob);
        }
    }

    /** Two devices of one account are two leaves; when the account leaves the room both go (no hidden leaf). */
    @Test
    void devicesOfOneAccountAreSeparateLeavesAndLeaveTogether() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            // bob's second device joins by external commit as bob, from bob's account
            Attacker bobsPhone = new Attacker(h.net, bob.self());
            ExternalJoin join = MlsGroup.joinByExternalCommit(Attacker.latestGroupInfo(h.net, Harness.ROOM),
                    Optional.empty(), bobsPhone.identityNaming(bob.self(), h.options), Optional.empty(), Bytes.EMPTY,
                    h.options.groupConfig(), PskLookup.none());
            bobsPhone.post(Harness.ROOM, join.commit().encode());
            bobsPhone.post(Harness.ROOM, MlsMessage.of(join.group().groupInfo(true, true)).encode());
            h.settle();
            assertThat(alice.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self(), bob.self());
            assertThat(alice.fingerprints(Harness.ROOM).get(bob.self())).hasSize(2).doesNotHaveDuplicates();
            assertThat(alice.keyChanges()).extracting(KeyChange::identity).containsExactly(bob.self());
            assertThat(h.bot.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self());
            h.net.leave(Harness.ROOM, bob.self());
            h.settle();
            assertThat(alice.groupMembers(Harness.ROOM)).containsExactly(alice.self());
            assertThat(h.bot.groupMembers(Harness.ROOM)).containsExactly(alice.self());
        }
    }

    /** A member who lost its state re-joins with a new key: the others are told, with fingerprints. */
    @Test
    void aNewKeyForAKnownIdentityIsReportedWithItsFingerprint() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            String before = alice.fingerprints(Harness.ROOM).get(bob.self()).get(0);
            bob = h.loseState(bob);
            h.settle();
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isPresent().isEqualTo(alice.epochAuthenticator(Harness.ROOM));
            KeyChange change = alice.keyChanges().get(0);
            assertThat(change.identity()).isEqualTo(bob.self());
            assertThat(change.earlier()).containsExactly(before);
            assertThat(alice.fingerprints(Harness.ROOM).get(bob.self())).containsExactly(change.fingerprint());
            alice.acknowledge(change);
            assertThat(alice.keyChanges()).isEmpty();
            talk(h, alice, bob);
        }
    }

    /** Welcomes for another group than the room's, or from an account that is not in the group, are refused. */
    @Test
    void welcomesOnlyIntoTheRoomsGroupAndFromOneOfItsMembers() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            h.net.leave(Harness.ROOM, bob.self()); // bob forgets the group, the room stays pinned to it
            h.settle();
            Attacker mallory = new Attacker(h.net, Harness.user("mallory"));
            welcome(h, mallory, mallory.account(), bob.self());
            MemberClient dave = h.member("dave"); // never saw the room's group: nothing pinned
            welcome(h, mallory, Harness.user("somebody-else"), dave.self());
            h.settle();
            assertThat(bob.counters().dropped(DropReason.WELCOME_REFUSED)).isEqualTo(1);
            assertThat(dave.counters().dropped(DropReason.WELCOME_REFUSED)).isEqualTo(1);
            assertThat(bob.epoch(Harness.ROOM)).isEmpty();
            assertThat(dave.epoch(Harness.ROOM)).isEmpty();
            h.net.join(Harness.ROOM, dave.self());
            h.settle();
            talk(h, alice, dave);
        }
    }

    /** A late application message is read within the policy's window only (epochs and time). */
    @Test
    void lateMessagesOnlyWithinThePastEpochWindow() throws Exception {
        for (Duration window : List.of(Duration.ofMinutes(10), Duration.ZERO)) {
            RoomPolicy policy = RoomPolicy.DEFAULT.withPastEpochWindow(3, window);
            Path sub = java.nio.file.Files.createDirectories(dir.resolve("window-" + window.toSeconds()));
            try (Harness h = new Harness(sub, ClientOptions.DEFAULT
                    .withMaxCommitDelay(Duration.ofMillis(20)).withPolicies(RoomPolicies.uniform(policy)))) {
                AttackCatalogueTest.Room r = AttackCatalogueTest.Room.of(h, "alice", "bob", "mallory");
                MlsGroup stale = Attacker.groupOf(r.mallory(), Harness.ROOM, h.options.groupConfig());
                h.members.remove(r.mallory().self()).close();
                r.alice().requestCommit(Harness.ROOM);
                h.settle();
                r.attacker().post(Harness.ROOM, stale.encrypt(Attacker.utf8("sent before the commit"), Bytes.EMPTY)
                        .encode());
                h.settle();
                if (window.isZero()) {
                    assertThat(r.bob().counters().dropped(DropReason.PAST_EPOCH_EXPIRED)).isEqualTo(1);
                    assertThat(r.bob().received()).isEmpty();
                } else {
                    assertThat(r.bob().received()).extracting(m -> Harness.text(m.text()))
                            .containsExactly("sent before the commit");
                }
            }
        }
    }

    /** Handled ids are pruned; a transport replaying from the start after that delivers nothing twice. */
    @Test
    void prunedDedupMarksLetNoReplayThrough() throws Exception {
        try (Harness h = new Harness(dir, ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(20))
                .withDedupRetention(Duration.ZERO))) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            alice.send(Harness.ROOM, Harness.text("once"));
            h.settle();
            h.settle(); // a caught-up step prunes every mark (retention zero)
            bob.store().transaction(tx -> {
                tx.setCursor(new Cursor("mem:999999")); // refused: the stream restarts from the start
                return null;
            });
            h.settle();
            assertThat(bob.received()).extracting(m -> Harness.text(m.text())).containsExactly("once");
            assertThat(bob.counters().dropped(DropReason.REPLAY)).isZero(); // the marks were gone ...
            assertThat(bob.counters().droppedByReason()).isNotEmpty(); // ... and MLS refused the replays
            talk(h, alice, bob);
        }
    }

    /** Member mode: a claimed KeyPackage naming someone else is refused too, and the account is not added. */
    @Test
    void memberModeBotChecksClaimedKeyPackages() throws Exception {
        try (Harness h = new Harness(dir)) {
            org.mlsbridge.bridge.transport.RoomId room = new org.mlsbridge.bridge.transport.RoomId("mm@muc.example");
            UserId botUser = Harness.user("mm-bot");
            h.net.join(room, botUser);
            try (MemberModeBot bot = new MemberModeBot(h.net.connect(botUser), h.store(botUser), h.options)) {
                bot.manage(room);
                MemberClient alice = h.member("alice");
                h.net.join(room, alice.self());
                Attacker mallory = new Attacker(h.net, Harness.user("mallory"));
                KeyPackageBundle fake = KeyPackageBuilder.forIdentity(mallory.identityNaming(alice.self(), h.options))
                        .build();
                h.net.connect(mallory.account()).publishKeyPackages(List.of(new PublishedKeyPackage(
                        fake.ref(h.options.groupConfig().crypto()), MlsMessage.of(fake.keyPackage()).encode())),
                        Optional.empty());
                h.net.join(room, mallory.account());
                for (int i = 0; i < 400 && (alice.epoch(room).isEmpty() || bot.client().hasDueWork()); i++) {
                    bot.step(100, Duration.ZERO);
                    alice.step(100, Duration.ZERO);
                    Thread.sleep(5);
                }
                for (int i = 0; i < 20; i++) {
                    bot.step(100, Duration.ZERO);
                    alice.step(100, Duration.ZERO);
                }
                assertThat(bot.counters().dropped(DropReason.KEY_PACKAGE_IDENTITY)).isEqualTo(1);
                assertThat(alice.groupMembers(room)).containsExactlyInAnyOrder(botUser, alice.self());
            }
        }
    }

    private static void welcome(Harness h, Attacker from, UserId groupCreator, UserId to) throws Exception {
        MlsGroup evil = MlsGroup.create(from.identityNaming(groupCreator, h.options), List.of(),
                h.options.groupConfig(), PskLookup.none());
        KeyPackage kp = (KeyPackage) MlsMessage.decode(h.net.connect(from.account()).claimKeyPackage(to)
                .orElseThrow()).body();
        var out = evil.commit(CommitOptions.of(new Proposal.Add(kp)));
        h.net.connect(from.account()).sendToUser(to, Harness.ROOM, new ClientMessageId("lure-" + to.hashCode()),
                out.welcomeMessage().orElseThrow().encode());
    }

    private static void talk(Harness h, MemberClient a, MemberClient b) throws Exception {
        h.drainReceived();
        a.send(Harness.ROOM, Harness.text("ping"));
        b.send(Harness.ROOM, Harness.text("pong"));
        h.settle();
        var got = h.drainReceived();
        assertThat(got.get(b.self())).contains("ping");
        assertThat(got.get(a.self())).contains("pong");
    }
}
