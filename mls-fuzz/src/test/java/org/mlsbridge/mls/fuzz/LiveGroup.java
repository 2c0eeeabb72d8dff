package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupCreator;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.JoinKeys;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * A three-member group (Alice, Bob, Carol) at epoch 1 whose keys and secrets are the same in every
 * run (see {@link SeededCrypto}), so that a fuzz finding against Bob reproduces later. Alice made
 * epoch 1 with an Add-only commit without path, so no fresh randomness enters the key schedule.
 * The fuzz targets play Bob: each execution starts from his stored state and must leave a group
 * that still follows Alice's next honest messages ({@link #assertBobStillWorks}).
 */
final class LiveGroup {
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    static final Bytes GROUP_ID = Bytes.wrap("mls-fuzz-group".getBytes(StandardCharsets.US_ASCII));
    /** Far-reaching fixed lifetimes: the fixture must not depend on the clock. */
    private static final Lifetime LIFETIME = new Lifetime(1_577_836_800L, 4_102_444_800L);

    final GroupConfig config;
    final SignatureIdentity alice;
    final SignatureIdentity bob;
    final SignatureIdentity carol;
    final SignatureIdentity dave;
    final KeyPackageBundle daveBundle;
    /** Alice's and Bob's epoch-1 states; decoded afresh for each use (processing moves ratchets). */
    final byte[] aliceState;
    final byte[] bobState;
    /** Honest traffic of Alice in epoch 1 that Bob accepts: fuzzing seeds. */
    final List<MlsMessage> honest;
    /** A Welcome (with the tree) that adds Dave. */
    final MlsMessage welcomeForDave;
    /** Alice's GroupInfo of epoch 1 with the tree and external_pub: an external join from it is valid. */
    final GroupInfo groupInfo;
    /** Alice's epoch-1 state, decoded once: the insider targets only sign with it. */
    final GroupState aliceSigner;
    /** What Alice sends after the fuzz input: an application message, a commit, one more message. */
    private final MlsMessage afterApplication;
    private final MlsMessage afterCommit;
    private final Bytes afterAuthenticator;
    private final MlsMessage afterCommitApplication;

    private LiveGroup() throws MlsException {
        GroupConfig d = GroupConfig.DEFAULT;
        config = new GroupConfig(d.padding(), d.pastEpochsKept(), d.resumptionPsksKept(), d.secretTree(),
                new SeededCrypto("mls-fuzz")).withClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                        ZoneOffset.UTC));
        alice = identity("alice");
        bob = identity("bob");
        carol = identity("carol");
        dave = identity("dave");
        KeyPackageBundle bobBundle = bundle(bob);
        KeyPackageBundle carolBundle = bundle(carol);
        daveBundle = bundle(dave);

        GroupState created = new GroupCreator(config, seededRandom()).create(alice, GROUP_ID, List.of(),
                Optional.empty());
        MlsGroup a = MlsGroup.resume(created, config, PskLookup.none());
        CommitOutput add = a.commit(CommitOptions.of(new Proposal.Add(bobBundle.keyPackage()),
                new Proposal.Add(carolBundle.keyPackage())).withPath(false));
        a.mergePendingCommit();
        MlsGroup b = MlsGroup.join(add.welcome().orElseThrow(), JoinKeys.of(bobBundle, bob), config,
                PskLookup.none());
        assertThat(b.epochAuthenticator()).isEqualTo(a.epochAuthenticator());
        aliceState = GroupStateCodec.encode(a.state());
        bobState = GroupStateCodec.encode(b.state());
        aliceSigner = GroupStateCodec.decode(aliceState, config);
        groupInfo = a.groupInfo(true, true);

        List<MlsMessage> traffic = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            traffic.add(a.encrypt(("seed message " + i).getBytes(StandardCharsets.UTF_8)));
        }
        traffic.add(a.propose(new Proposal.Remove(LeafIndex.of(2))).message());
        traffic.add(a.proposeUpdate().message());
        traffic.add(a.commit(CommitOptions.empty()).commit());
        a.clearPendingCommit();
        traffic.add(a.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(2)))).commit());
        a.clearPendingCommit();
        CommitOutput addDave = a.commit(CommitOptions.of(new Proposal.Add(daveBundle.keyPackage())));
        traffic.add(addDave.commit());
        welcomeForDave = MlsMessage.of(addDave.welcome().orElseThrow());
        traffic.add(MlsMessage.of(addDave.groupInfo()));
        a.clearPendingCommit();
        honest = List.copyOf(traffic);

        afterApplication = a.encrypt("after".getBytes(StandardCharsets.UTF_8));
        afterCommit = a.commit(CommitOptions.empty()).commit();
        a.mergePendingCommit();
        afterAuthenticator = a.epochAuthenticator();
        afterCommitApplication = a.encrypt("after the commit".getBytes(StandardCharsets.UTF_8));
    }

    private static final class Holder {
        static final LiveGroup INSTANCE = build();

        private static LiveGroup build() {
            try {
                return new LiveGroup();
            } catch (MlsException e) {
                throw new IllegalStateException("the fuzz fixture group could not be built", e);
            }
        }
    }

    /** Built once per JVM (a fuzzing run executes the target many thousand times). */
    static LiveGroup get() {
        return Holder.INSTANCE;
    }

    private SignatureIdentity identity(String name) {
        return SignatureIdentity.generate(config.crypto(), SUITE,
                new Credential.BasicCredential(Bytes.wrap(name.getBytes(StandardCharsets.UTF_8))));
    }

    private KeyPackageBundle bundle(SignatureIdentity id) throws MlsException {
        return KeyPackageBuilder.forIdentity(id).cryptoProvider(config.crypto()).lifetime(LIFETIME).build();
    }

    private static SecureRandom seededRandom() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed("mls-fuzz-group".getBytes(StandardCharsets.US_ASCII));
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bob in epoch 1, as stored. */
    MlsGroup bob() {
        return resume(bobState);
    }

    /** Alice in epoch 1, as stored (to sign as an insider). */
    MlsGroup alice() {
        return resume(aliceState);
    }

    private MlsGroup resume(byte[] state) {
        try {
            return MlsGroup.resume(GroupStateCodec.decode(state, config), config, PskLookup.none());
        } catch (DecodeException e) {
            throw new IllegalStateException("the fixture's own state does not decode", e);
        }
    }

    /** Dave's keys as copies: a join may keep and later wipe the secrets it was given. */
    JoinKeys daveKeys() {
        JoinKeys k = JoinKeys.of(daveBundle, dave);
        return new JoinKeys(k.keyPackage(), Secret.wrap(k.initPrivateKey().copy()),
                Secret.wrap(k.encryptionPrivateKey().copy()), Secret.wrap(k.signaturePrivateKey().copy()));
    }

    /**
     * Bob, after whatever the fuzz input did, reads Alice's next application message, follows her
     * next commit to the same epoch as she does, and reads a message of the new epoch.
     */
    void assertBobStillWorks(MlsGroup bob) throws MlsException {
        ApplicationMessage m = (ApplicationMessage) bob.process(afterApplication);
        assertThat(m.data().toByteArray()).isEqualTo("after".getBytes(StandardCharsets.UTF_8));
        bob.merge((StagedCommit) bob.process(afterCommit));
        assertThat(bob.epochAuthenticator()).isEqualTo(afterAuthenticator);
        ApplicationMessage n = (ApplicationMessage) bob.process(afterCommitApplication);
        assertThat(n.data().toByteArray()).isEqualTo("after the commit".getBytes(StandardCharsets.UTF_8));
    }
}
