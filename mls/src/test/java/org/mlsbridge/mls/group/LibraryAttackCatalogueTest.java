package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PaddingPolicy;
import org.mlsbridge.mls.framing.PrivateMessageProtection;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.UpdatePathNode;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.secrets.SecretTreeConfig;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.PreparedPath;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.tree.TreePrivateKeys;

/**
 * The library's attack catalogue (docs/security.md, "The MLS library"): one test per attack a
 * hostile peer, delivery service or insider can mount against the library. Each asserts the
 * rejection (exception type, {@link FailureReason} and the RFC 9420 section that stops it), that the receiver's state
 * is exactly what it was, and that the group then still works: Alice's next commit is followed to
 * the same epoch and her next message is read.
 *
 * <p>Alice (the {@link TestCommitter}, so she can also be a malicious committer) made epoch 1 with
 * Bob (leaf 1) and Carol (leaf 2). The PublicMessage forms of a forged signature, a bad membership
 * tag and a removed member's commit are in {@link GroupRejectionTest}; the corrupted-tree cases at
 * the tree level in {@code HostileTreeTest}; this class adds the other forms and the rest.
 */
class LibraryAttackCatalogueTest {
    private static final PublicMessageProtection PUBLIC = new PublicMessageProtection(TestCommitter.CRYPTO);
    private static final SecureRandom RANDOM = new SecureRandom();

    private GroupFixture f;

    @BeforeEach
    void setUp() throws MlsException {
        f = new GroupFixture();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * Bob rejects {@code attack} with {@code type} and {@code reason}, the message naming
     * {@code section} and saying {@code text}; his state stays, and the group works.
     */
    private void assertBobRejects(MlsMessage attack, Class<? extends MlsException> type, FailureReason reason,
            String section, String text) throws MlsException {
        assertRejected(() -> f.bobGroup.process(attack), type, reason, section, text);
    }

    private void assertRejected(ThrowingCallable attack, Class<? extends MlsException> type, FailureReason reason,
            String section, String text) throws MlsException {
        GroupState before = f.bobGroup.state();
        assertRefusal(attack, type, reason, section, text);
        assertThat(f.bobGroup.state()).as("Bob's state after the attack").isSameAs(before);
        assertGroupStillWorks();
    }

    /** {@code attack} fails with {@code type} and {@code reason}, the message naming {@code section} and saying {@code text}. */
    private static void assertRefusal(ThrowingCallable attack, Class<? extends MlsException> type,
            FailureReason reason, String section, String text) {
        assertThatThrownBy(attack).isInstanceOf(type).hasMessageContaining("RFC 9420 " + section)
                .hasMessageContaining(text)
                .satisfies(e -> assertThat(((MlsException) e).reason()).as("reason").isEqualTo(reason));
    }

    private void assertGroupStillWorks() throws MlsException {
        GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
        ApplicationMessage m = (ApplicationMessage) f.bobGroup.process(TestCommitter.application(f.aliceState, "ok"));
        assertThat(text(m)).isEqualTo("ok");
    }

    private static String text(ApplicationMessage m) {
        return new String(m.data().toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * A commit framed and signed by Alice as a malicious insider would send it: valid signature
     * and membership tag, so only the §12 rules stand in the way. The confirmation tag is a dummy
     * (the receiver checks it last, so every rule before it is what rejects the commit).
     */
    private MlsMessage aliceSignedCommit(Commit commit) throws MlsException {
        GroupState s = f.aliceState;
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.Member(s.ownLeaf()), Bytes.EMPTY,
                new Content.CommitContent(commit));
        Bytes signature = ContentSignatures.sign(TestCommitter.CRYPTO, s.signaturePrivateKey(),
                WireFormat.PUBLIC_MESSAGE, fc, s.context());
        AuthenticatedContent signed = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(Bytes.wrap(new byte[TestCommitter.CRYPTO.hashLength()]))));
        return MlsMessage.of(PUBLIC.protect(signed, s.context(), Optional.of(s.epochSecrets().membershipKey())));
    }

    private static Commit commitOf(MlsMessage m) {
        return ((Content.CommitContent) ((PublicMessage) m.body()).content().content()).commit();
    }

    /** Alice's honest path for a commit without proposals, as sent. */
    private UpdatePath honestPath() throws MlsException {
        return commitOf(TestCommitter.commit(f.aliceState, List.of()).message()).path().orElseThrow();
    }

    private static Bytes flip(Bytes b) {
        byte[] a = b.toByteArray();
        a[a.length / 2] ^= 1;
        return Bytes.wrap(a);
    }

    // ---- the catalogue -------------------------------------------------------------------------

    @Test
    void replayedPrivateMessage() throws MlsException {
        MlsMessage m = TestCommitter.application(f.aliceState, "once");
        assertThat(text((ApplicationMessage) f.bobGroup.process(m))).isEqualTo("once");
        assertBobRejects(m, ValidationException.class, FailureReason.REPLAY, "§9.2", "replay");
    }

    @Test
    void messageFromAnEpochBeyondThePastEpochWindow() throws MlsException {
        MlsMessage old = TestCommitter.application(f.aliceState, "from epoch 1");
        for (int i = 0; i <= GroupConfig.DEFAULT_PAST_EPOCHS; i++) {
            GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        }
        assertBobRejects(old, ValidationException.class, FailureReason.WRONG_EPOCH, "§6", "epoch 1");
    }

    /**
     * A removed member has no key of the epochs after its removal: its handshake messages name a
     * leaf that is no longer there. What it still holds are the keys of the epoch it was removed
     * in, so its application messages of that epoch are read while that epoch is in the past-epoch
     * window, marked with the old epoch, and refused once the window has moved on.
     */
    @Test
    void messagesFromARemovedMember() throws MlsException {
        MlsGroup carol = f.carolGroup;
        GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of(TestCommitter.byValue(new Proposal.Remove(2)))));

        GroupState s = f.bobGroup.state();
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.Member(LeafIndex.of(2)), Bytes.EMPTY,
                new Content.ProposalContent(new Proposal.Remove(1)));
        MlsMessage proposal = MlsMessage.of(PUBLIC.protect(fc, f.carol.signature().signaturePrivateKey(), s.context(),
                Optional.of(s.epochSecrets().membershipKey())));
        assertBobRejects(proposal, ValidationException.class, FailureReason.UNKNOWN_SENDER, "§6.2", "unknown sender");

        MlsMessage late = carol.encrypt("sent after my removal".getBytes(StandardCharsets.UTF_8));
        ApplicationMessage read = (ApplicationMessage) f.bobGroup.process(late);
        assertThat(read.epoch()).as("marked with the epoch Carol was still a member in").isEqualTo(1);
        MlsMessage later = carol.encrypt("and later".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < GroupConfig.DEFAULT_PAST_EPOCHS; i++) {
            GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        }
        assertBobRejects(later, ValidationException.class, FailureReason.WRONG_EPOCH, "§6", "epoch 1");
    }

    /**
     * Carol, a member, knows the epoch's encryption secrets and writes an application message in
     * Alice's name with Alice's next generation, signed with her own key. The signature does not
     * verify; Alice's generation is not used up, so her real message still reads.
     */
    @Test
    void forgedSignatureOnAPrivateMessage() throws MlsException {
        GroupState carol = f.carolGroup.state();
        FramedContent fc = new FramedContent(carol.groupId(), carol.epoch(), new Sender.Member(LeafIndex.of(0)),
                Bytes.EMPTY, new Content.Application(Bytes.wrap("I am Alice".getBytes(StandardCharsets.UTF_8))));
        MlsMessage forged = MlsMessage.of(new PrivateMessageProtection(TestCommitter.CRYPTO, PaddingPolicy.none())
                .protect(fc, f.carol.signature().signaturePrivateKey(), carol.context(), carol.secretTree(),
                        carol.epochSecrets().senderDataSecret()));
        MlsMessage real = TestCommitter.application(f.aliceState, "really Alice");
        GroupState before = f.bobGroup.state();
        assertRefusal(() -> f.bobGroup.process(forged), ValidationException.class, FailureReason.BAD_SIGNATURE, "§6.1",
                "signature");
        assertThat(f.bobGroup.state()).isSameAs(before);
        assertThat(text((ApplicationMessage) f.bobGroup.process(real))).isEqualTo("really Alice");
        assertGroupStillWorks();
    }

    @Test
    void wrongMembershipTagOnACommit() throws MlsException {
        TestCommitter.Committed commit = TestCommitter.commit(f.aliceState, List.of());
        PublicMessage good = (PublicMessage) commit.message().body();
        MlsMessage bad = MlsMessage.of(new PublicMessage(good.content(), good.auth(),
                Optional.of(flip(good.membershipTag().orElseThrow()))));
        GroupState before = f.bobGroup.state();
        assertRefusal(() -> f.bobGroup.process(bad), ValidationException.class, FailureReason.BAD_MEMBERSHIP_TAG,
                "§6.2", "membership tag");
        assertThat(f.bobGroup.state()).isSameAs(before);
        // The genuine commit is not spoiled by its tampered copy.
        GroupFixture.processAndMerge(f.bobGroup, commit.message());
        f.aliceState = commit.next();
        assertGroupStillWorks();
    }

    @Test
    void commitThatRemovesTheCommitter() throws MlsException {
        MlsMessage attack = aliceSignedCommit(new Commit(List.of(TestCommitter.byValue(new Proposal.Remove(0))),
                Optional.of(honestPath())));
        assertBobRejects(attack, ValidationException.class, FailureReason.PROTOCOL, "§12.2",
                "must not remove the committer");
    }

    /**
     * The committer publishes public keys that do not belong to the path secrets it sends (a
     * consistent parent-hash chain over the wrong keys, so only the receiver's key derivation can
     * notice): Bob derives the key of the node he decrypts and finds a different one in the tree.
     */
    @Test
    void updatePathWithWrongPublicKeys() throws MlsException {
        GroupState s = f.aliceState;
        HpkeKeyPair leafKey = TestCommitter.CRYPTO.generateHpkeKeyPair();
        var signer = TreeKem.resigning(TestCommitter.CRYPTO, s.ownLeafNode(), s.signaturePrivateKey(), s.groupId(),
                s.ownLeaf());
        PreparedPath published = TreeKem.preparePath(s.tree(), s.ownLeaf(), leafKey, randomSecret(), signer);
        PreparedPath sent = TreeKem.preparePath(s.tree(), s.ownLeaf(), leafKey, randomSecret(), signer);
        byte[] context = EpochSuccession.provisionalContext(s, published.tree(), s.context().extensions()).toByteArray();
        UpdatePath keys = published.encrypt(context, Set.of());
        UpdatePath secrets = sent.encrypt(context, Set.of());
        List<UpdatePathNode> mixed = new ArrayList<>();
        for (int i = 0; i < keys.nodes().size(); i++) {
            mixed.add(new UpdatePathNode(keys.nodes().get(i).encryptionKey(),
                    secrets.nodes().get(i).encryptedPathSecret()));
        }
        MlsMessage attack = aliceSignedCommit(new Commit(List.of(), Optional.of(new UpdatePath(keys.leafNode(), mixed))));
        assertBobRejects(attack, ValidationException.class, FailureReason.PROTOCOL, "§12.4.2",
                "does not match its public key");
    }

    /** The committer's new leaf, validly signed, carries a parent hash its path does not produce. */
    @Test
    void updatePathWithABadParentHash() throws MlsException {
        GroupState s = f.aliceState;
        UpdatePath path = honestPath();
        LeafNode l = path.leafNode();
        LeafNode unsigned = new LeafNode(l.encryptionKey(), l.signatureKey(), l.credential(), l.capabilities(),
                l.source(), l.lifetime(), Optional.of(flip(l.parentHash().orElseThrow())), l.extensions(), Bytes.EMPTY);
        LeafNode resigned = unsigned.withSignature(Bytes.wrap(TestCommitter.CRYPTO.signWithLabel(
                s.signaturePrivateKey(), "LeafNodeTBS", unsigned.toBeSigned(s.groupId(), s.ownLeaf()))));
        MlsMessage attack = aliceSignedCommit(new Commit(List.of(), Optional.of(new UpdatePath(resigned, path.nodes()))));
        assertBobRejects(attack, ValidationException.class, FailureReason.PROTOCOL, "§7.9.2", "parent hash");
    }

    @Test
    void duplicateAddOfOneKeyPackage() throws MlsException {
        KeyPackage dave = TestCommitter.identity("dave").bundle().keyPackage();
        ProposalOrRef add = TestCommitter.byValue(new Proposal.Add(dave));
        assertBobRejects(aliceSignedCommit(new Commit(List.of(add, add), Optional.empty())), ValidationException.class,
                FailureReason.PROTOCOL, "§12.2", "two Add proposals add the same client");
    }

    @Test
    void keyPackageWithAnExpiredLifetime() throws MlsException {
        TestCommitter.Identity dave = TestCommitter.identity("dave");
        KeyPackage expired = KeyPackageBuilder.forIdentity(dave.signature()).lifetime(new Lifetime(1_000, 2_000))
                .build().keyPackage();
        MlsMessage proposal = TestCommitter.propose(f.aliceState, new Proposal.Add(expired));
        assertBobRejects(proposal, ValidationException.class, FailureReason.POLICY, "§7.3", "expired");
        MlsMessage commit = TestCommitter.commit(f.aliceState, List.of(TestCommitter.byValue(new Proposal.Add(expired))))
                .message();
        assertBobRejects(commit, ValidationException.class, FailureReason.POLICY, "§7.3", "expired");
    }

    /**
     * A Welcome that adds Dave reaches Eve: she finds no entry for her KeyPackage; relabelled with
     * her KeyPackage's reference, the entry does not decrypt with her key. Dave then joins from
     * the genuine Welcome (the failed attempts consumed nothing).
     */
    @Test
    void welcomeForSomeoneElse() throws MlsException {
        TestCommitter.Identity dave = TestCommitter.identity("dave");
        TestCommitter.Identity eve = TestCommitter.identity("eve");
        TestCommitter.Committed added = TestCommitter.commit(f.aliceState,
                List.of(TestCommitter.byValue(new Proposal.Add(dave.bundle().keyPackage()))));
        Welcome welcome = added.welcome().orElseThrow();
        assertRefusal(() -> MlsGroup.join(welcome, eve.joinKeys(), GroupConfig.DEFAULT, PskLookup.none()),
                ValidationException.class, FailureReason.NOT_FOR_US, "§12.4.3.1", "");
        Bytes eveRef = TestCommitter.CRYPTO.makeKeyPackageRef(eve.bundle().keyPackage().toByteArray());
        EncryptedGroupSecrets entry = welcome.secrets().get(0);
        Welcome relabelled = new Welcome(welcome.cipherSuite(),
                List.of(new EncryptedGroupSecrets(eveRef, entry.encryptedGroupSecrets())), welcome.encryptedGroupInfo());
        assertRefusal(() -> MlsGroup.join(relabelled, eve.joinKeys(), GroupConfig.DEFAULT, PskLookup.none()),
                CryptoException.class, FailureReason.DECRYPTION_FAILED, "§12.4.3.1", "");
        MlsGroup daveGroup = MlsGroup.join(welcome, dave.joinKeys(), GroupConfig.DEFAULT, PskLookup.none());
        assertThat(daveGroup.epochAuthenticator()).isEqualTo(added.next().epochAuthenticator());
        GroupFixture.processAndMerge(f.bobGroup, added.message());
        f.aliceState = added.next();
        assertGroupStillWorks();
    }

    /**
     * A malicious member sends a Welcome whose tree (with a matching tree hash, signed into the
     * GroupInfo by the committer) has a leaf whose signature does not verify: the joiner refuses
     * the group rather than trusting the committer.
     */
    @Test
    void welcomeWhoseTreeHasALeafWithABadSignature() throws MlsException {
        TestCommitter.Identity mallory = TestCommitter.identity("mallory");
        TestCommitter.Identity victim = TestCommitter.identity("victim");
        TestCommitter.Identity dave = TestCommitter.identity("dave");
        LeafNode victimLeaf = victim.bundle().keyPackage().leafNode();
        LeafNode broken = victimLeaf.withSignature(flip(victimLeaf.signature()));
        List<Optional<Node>> nodes = List.of(Optional.of(mallory.bundle().keyPackage().leafNode()), Optional.empty(),
                Optional.of(broken));
        RatchetTree tree = RatchetTree.fromNodes(TestCommitter.CRYPTO, nodes);
        GroupContext context = new GroupContext(GroupContext.MLS10, TestCommitter.SUITE,
                Bytes.wrap("bad-leaf".getBytes(StandardCharsets.US_ASCII)), 0, tree.treeHash(), Bytes.EMPTY, List.of());
        EpochSecrets secrets = new KeySchedule(TestCommitter.CRYPTO).fromEpochSecret(randomSecret());
        HpkeKeyPair leafKey = new HpkeKeyPair(mallory.bundle().encryptionPrivateKey(),
                mallory.bundle().keyPackage().leafNode().encryptionKey());
        GroupState mallorys = EpochSuccession.initial(TestCommitter.CRYPTO, context, tree, LeafIndex.of(0),
                TreePrivateKeys.ofLeaf(LeafIndex.of(0), leafKey), mallory.signature().signaturePrivateKey(), secrets,
                TranscriptHashes.confirmationTag(TestCommitter.CRYPTO, secrets.confirmationKey(), Bytes.EMPTY),
                GroupConfig.DEFAULT);
        Welcome welcome = TestCommitter.commit(mallorys, List.of(TestCommitter.byValue(
                new Proposal.Add(dave.bundle().keyPackage()))), false, UnaryOperator.identity()).welcome().orElseThrow();
        assertRefusal(() -> MlsGroup.join(welcome, dave.joinKeys(), GroupConfig.DEFAULT, PskLookup.none()),
                ValidationException.class, FailureReason.BAD_SIGNATURE, "§7.3", "signature");
        assertGroupStillWorks();
    }

    /** One message may not make the receiver derive more than 1000 ratchet keys (§9.2 leaves the cap to us). */
    @Test
    void generationFarAhead() throws MlsException {
        MlsMessage first = TestCommitter.application(f.aliceState, "generation 0");
        MlsMessage farAhead = null;
        for (int g = 1; g <= SecretTreeConfig.DEFAULT.maxForwardSkip() + 1; g++) {
            farAhead = TestCommitter.application(f.aliceState, "generation " + g);
        }
        MlsMessage attack = farAhead;
        GroupState before = f.bobGroup.state();
        assertRefusal(() -> f.bobGroup.process(attack), ValidationException.class, FailureReason.TOO_FAR_AHEAD,
                "§9.2", "would skip 1001 generations");
        assertThat(f.bobGroup.state()).isSameAs(before);
        assertThat(text((ApplicationMessage) f.bobGroup.process(first))).isEqualTo("generation 0");
        assertGroupStillWorks();
    }

    /**
     * Length prefixes that claim up to 2^30-1 bytes (the largest the varint allows) in a message of
     * a few dozen bytes: decoding fails before allocating anything of that size.
     */
    @Test
    void lengthsMeantToExhaustMemory() throws MlsException {
        byte[] claimsAGigabyte = {(byte) 0xbf, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        List<byte[]> attacks = List.of(
                // Welcome whose secrets vector claims 2^30-1 bytes
                new TlsWriter().uint16(1).uint16(3).uint16(1).raw(claimsAGigabyte).raw(new byte[16]).toByteArray(),
                // PrivateMessage whose ciphertext claims 2^30-1 bytes
                new TlsWriter().uint16(1).uint16(2).opaque(f.aliceState.groupId()).uint64(1).uint8(1)
                        .opaque(new byte[0]).opaque(new byte[8]).raw(claimsAGigabyte).raw(new byte[16]).toByteArray(),
                // KeyPackage whose credential identity claims 2^30-1 bytes
                new TlsWriter().uint16(1).uint16(5).uint16(1).uint16(1).opaque(new byte[32]).opaque(new byte[32])
                        .opaque(new byte[32]).uint16(1).raw(claimsAGigabyte).raw(new byte[16]).toByteArray());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (byte[] attack : attacks) {
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> MlsMessage.decode(attack)).isInstanceOf(DecodeException.class)
                    .hasMessageContaining("remain")
                    .satisfies(e -> assertThat(((MlsException) e).reason()).isEqualTo(FailureReason.DECODE));
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated").isLessThan(1 << 20);
        }
        // A Remove naming the last possible leaf index does not grow anything either.
        MlsMessage farRemove = aliceSignedCommit(new Commit(List.of(TestCommitter.byValue(
                new Proposal.Remove(0xffff_ffffL))), Optional.of(honestPath())));
        assertBobRejects(farRemove, ValidationException.class, FailureReason.PROTOCOL, "§12.1.3", "Remove of leaf");
    }

    private static Secret randomSecret() {
        byte[] b = new byte[TestCommitter.CRYPTO.hashLength()];
        RANDOM.nextBytes(b);
        return Secret.wrap(b);
    }
}
