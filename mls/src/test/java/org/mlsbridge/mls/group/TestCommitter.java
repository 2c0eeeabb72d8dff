package org.mlsbridge.mls.group;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PaddingPolicy;
import org.mlsbridge.mls.framing.PrivateMessageProtection;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.framing.WelcomeProtection;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.PreparedPath;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.tree.TreePrivateKeys;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * A minimal sending side for tests of the receiving side: creates a group, frames proposals and
 * application messages, and builds commits (with Welcome) on top of the library's own
 * {@link EpochSuccession} and {@link ProposalApplier}, the way a committer must.
 */
final class TestCommitter {
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    static final GroupConfig CONFIG = GroupConfig.DEFAULT;
    static final SuiteCrypto CRYPTO = CONFIG.crypto().suite(SUITE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCommitter() {
    }

    record Identity(SignatureIdentity signature, KeyPackageBundle bundle) {
        JoinKeys joinKeys() {
            return JoinKeys.of(bundle, signature);
        }
    }

    static Identity identity(String name) throws MlsException {
        SignatureIdentity id = SignatureIdentity.generateBasic(CONFIG.crypto(), SUITE,
                Bytes.wrap(name.getBytes(StandardCharsets.UTF_8)));
        return new Identity(id, KeyPackageBuilder.forIdentity(id).build());
    }

    /** §11: a one-member group at epoch 0. */
    static GroupState create(Identity creator, Bytes groupId) {
        RatchetTree tree = RatchetTree.create(CRYPTO, creator.bundle().keyPackage().leafNode());
        GroupContext context = new GroupContext(GroupContext.MLS10, SUITE, groupId, 0, tree.treeHash(), Bytes.EMPTY,
                List.of());
        byte[] epochSecret = new byte[CRYPTO.hashLength()];
        RANDOM.nextBytes(epochSecret);
        EpochSecrets secrets = new KeySchedule(CRYPTO).fromEpochSecret(Secret.wrap(epochSecret));
        Bytes tag = TranscriptHashes.confirmationTag(CRYPTO, secrets.confirmationKey(), Bytes.EMPTY);
        HpkeKeyPair leafKey = new HpkeKeyPair(creator.bundle().encryptionPrivateKey(),
                creator.bundle().keyPackage().leafNode().encryptionKey());
        return EpochSuccession.initial(CRYPTO, context, tree, LeafIndex.of(0), TreePrivateKeys.ofLeaf(LeafIndex.of(0),
                leafKey), creator.signature().signaturePrivateKey(), secrets, tag, CONFIG);
    }

    /** A proposal from a member as PublicMessage. */
    static MlsMessage propose(GroupState s, Proposal proposal) throws MlsException {
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.Member(s.ownLeaf()), Bytes.EMPTY,
                new Content.ProposalContent(proposal));
        return MlsMessage.of(new PublicMessageProtection(CRYPTO).protect(fc, s.signaturePrivateKey(), s.context(),
                Optional.of(s.epochSecrets().membershipKey())));
    }

    /** Application data as PrivateMessage (consumes a generation of the sender's ratchet). */
    static MlsMessage application(GroupState s, String text) throws MlsException {
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.Member(s.ownLeaf()), Bytes.EMPTY,
                new Content.Application(Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))));
        return MlsMessage.of(new PrivateMessageProtection(CRYPTO, PaddingPolicy.none()).protect(fc,
                s.signaturePrivateKey(), s.context(), s.secretTree(), s.epochSecrets().senderDataSecret()));
    }

    record Committed(MlsMessage message, Optional<Welcome> welcome, GroupState next) {
    }

    static Committed commit(GroupState s, List<ProposalOrRef> proposals) throws MlsException {
        return commit(s, proposals, true, UnaryOperator.identity());
    }

    /**
     * A commit of {@code proposals} as PublicMessage; {@code tamperTag} may replace the
     * confirmation tag (for negative tests).
     */
    static Committed commit(GroupState s, List<ProposalOrRef> proposals, boolean withPath,
            UnaryOperator<Bytes> tamperTag) throws MlsException {
        Sender me = new Sender.Member(s.ownLeaf());
        List<ResolvedProposal> resolved = new ArrayList<>();
        for (ProposalOrRef p : proposals) {
            switch (p) {
                case ProposalOrRef.ByValue v -> resolved.add(new ResolvedProposal(v.proposal(), me, Optional.empty()));
                case ProposalOrRef.ByReference r -> {
                    // An unknown reference is kept on the wire but ignored here, for negative tests.
                    CachedProposal c = s.proposals().get(r.ref());
                    if (c != null) {
                        resolved.add(new ResolvedProposal(c.proposal(), c.sender(), Optional.of(r.ref())));
                    }
                }
            }
        }
        AppliedProposals applied = ProposalApplier.apply(s, resolved);
        RatchetTree tree = applied.tree();
        Optional<UpdatePath> path = Optional.empty();
        Optional<PreparedPath> prepared = Optional.empty();
        Secret commitSecret = Secret.zero(CRYPTO.hashLength());
        TreePrivateKeys keys = s.privateKeys().retainMatching(tree);
        if (withPath) {
            PreparedPath pp = TreeKem.preparePath(tree, s.ownLeaf(), RANDOM,
                    TreeKem.resigning(CRYPTO, s.ownLeafNode(), s.signaturePrivateKey(), s.groupId(), s.ownLeaf()));
            tree = pp.tree();
            byte[] provisional = EpochSuccession.provisionalContext(s, tree, applied.extensions()).toByteArray();
            path = Optional.of(pp.encrypt(provisional, Set.copyOf(applied.added())));
            prepared = Optional.of(pp);
            commitSecret = pp.commitSecret();
            keys = pp.privateKeys();
        }
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), me, Bytes.EMPTY,
                new Content.CommitContent(new Commit(proposals, path)));
        Bytes signature = ContentSignatures.sign(CRYPTO, s.signaturePrivateKey(), WireFormat.PUBLIC_MESSAGE, fc,
                s.context());
        AuthenticatedContent unconfirmed = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(Bytes.EMPTY)));
        EpochSuccession.NextEpoch next = EpochSuccession.derive(s, tree, applied.extensions(), unconfirmed,
                s.epochSecrets().initSecret(), commitSecret, Secret.zero(CRYPTO.hashLength()));
        Bytes tag = TranscriptHashes.confirmationTag(CRYPTO, next.epochSecrets().confirmationKey(),
                next.context().confirmedTranscriptHash());
        AuthenticatedContent content = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(tamperTag.apply(tag))));
        MlsMessage message = MlsMessage.of(new PublicMessageProtection(CRYPTO).protect(content, s.context(),
                Optional.of(s.epochSecrets().membershipKey())));
        Optional<Welcome> welcome = welcome(s, resolved, applied, next, tree, tag, prepared);
        GroupState state = EpochSuccession.successor(s, next, tree, s.ownLeaf(), keys, tag, applied.reInit(), CONFIG);
        return new Committed(message, welcome, state);
    }

    private static Optional<Welcome> welcome(GroupState s, List<ResolvedProposal> resolved, AppliedProposals applied,
            EpochSuccession.NextEpoch next, RatchetTree tree, Bytes tag, Optional<PreparedPath> prepared)
            throws MlsException {
        if (applied.added().isEmpty()) {
            return Optional.empty();
        }
        GroupInfo unsigned = new GroupInfo(next.context(), List.of(tree.toExtension().toExtension()), tag,
                s.ownLeaf(), Bytes.EMPTY);
        GroupInfo info = unsigned.withSignature(Bytes.wrap(CRYPTO.signWithLabel(s.signaturePrivateKey(),
                GroupInfo.SIGNATURE_LABEL, unsigned.toBeSigned())));
        WelcomeProtection wp = new WelcomeProtection(CRYPTO);
        Bytes encryptedInfo = wp.sealGroupInfo(info, next.transition().welcomeKey());
        List<EncryptedGroupSecrets> secrets = new ArrayList<>();
        int i = 0;
        for (ResolvedProposal p : resolved) {
            if (p.proposal() instanceof Proposal.Add add) {
                LeafIndex leaf = applied.added().get(i++);
                Optional<Secret> pathSecret = prepared.flatMap(pp -> pp.pathSecretFor(leaf));
                GroupSecrets gs = new GroupSecrets(next.transition().joinerSecret(), pathSecret, List.of());
                secrets.add(wp.sealGroupSecrets(CRYPTO.makeKeyPackageRef(add.keyPackage().toByteArray()),
                        add.keyPackage().initKey(), encryptedInfo, gs));
            }
        }
        return Optional.of(new Welcome(SUITE, secrets, encryptedInfo));
    }

    static ProposalOrRef byValue(Proposal p) {
        return new ProposalOrRef.ByValue(p);
    }
}
