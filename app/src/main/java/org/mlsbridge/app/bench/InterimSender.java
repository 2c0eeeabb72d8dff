package org.mlsbridge.app.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PrivateMessageProtection;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.framing.WelcomeProtection;
import org.mlsbridge.mls.group.AppliedProposals;
import org.mlsbridge.mls.group.EpochSuccession;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.ProposalApplier;
import org.mlsbridge.mls.group.ResolvedProposal;
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
import org.mlsbridge.mls.message.KeyPackage;
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
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * A committer assembled from the library's public building blocks (the same
 * {@link ProposalApplier}, {@link TreeKem} and {@link EpochSuccession} the receiving side uses),
 * standing in until the library's own sending API exists. Commits are PublicMessages by value;
 * the KeyPackages it adds are signature-checked, on every core, as a committer must (§10.1).
 */
final class InterimSender implements GroupSender {
    private final GroupConfig config;
    private final SecureRandom random = new SecureRandom();

    InterimSender(GroupConfig config) {
        this.config = config;
    }

    @Override
    public GroupState create(SignatureIdentity creator, KeyPackageBundle bundle, byte[] groupId) {
        SuiteCrypto crypto = config.crypto().suite(bundle.keyPackage().cipherSuite());
        RatchetTree tree = RatchetTree.create(crypto, bundle.keyPackage().leafNode());
        GroupContext context = new GroupContext(GroupContext.MLS10, crypto.suite(), Bytes.of(groupId), 0,
                tree.treeHash(), Bytes.EMPTY, List.of());
        byte[] epochSecret = new byte[crypto.hashLength()];
        random.nextBytes(epochSecret);
        EpochSecrets secrets = new KeySchedule(crypto).fromEpochSecret(Secret.wrap(epochSecret));
        Bytes tag = TranscriptHashes.confirmationTag(crypto, secrets.confirmationKey(), Bytes.EMPTY);
        HpkeKeyPair leafKey = new HpkeKeyPair(bundle.encryptionPrivateKey(),
                bundle.keyPackage().leafNode().encryptionKey());
        return EpochSuccession.initial(crypto, context, tree, LeafIndex.of(0),
                TreePrivateKeys.ofLeaf(LeafIndex.of(0), leafKey), creator.signaturePrivateKey(), secrets, tag, config);
    }

    @Override
    public Committed add(GroupState state, List<KeyPackage> keyPackages, boolean treeInWelcome) throws MlsException {
        verifyKeyPackages(state.crypto(), keyPackages);
        List<Proposal> proposals = keyPackages.stream().<Proposal>map(Proposal.Add::new).toList();
        return commit(state, proposals, false, treeInWelcome);
    }

    @Override
    public Committed update(GroupState state) throws MlsException {
        return commit(state, List.of(), true, false);
    }

    @Override
    public Committed remove(GroupState state, LeafIndex leaf) throws MlsException {
        return commit(state, List.of(new Proposal.Remove(leaf.value())), true, false);
    }

    @Override
    public MlsMessage application(GroupState s, byte[] data) throws MlsException {
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.Member(s.ownLeaf()), Bytes.EMPTY,
                new Content.Application(Bytes.of(data)));
        return MlsMessage.of(new PrivateMessageProtection(s.crypto(), config.padding()).protect(fc,
                s.signaturePrivateKey(), s.context(), s.secretTree(), s.epochSecrets().senderDataSecret()));
    }

    /** §10.1: the KeyPackage and its leaf are signed by the leaf's signature key. */
    private static void verifyKeyPackages(SuiteCrypto crypto, List<KeyPackage> kps) throws ValidationException {
        IntStream indices = IntStream.range(0, kps.size());
        if (kps.size() > 64) {
            indices = indices.parallel();
        }
        int bad = indices.filter(i -> !signaturesVerify(crypto, kps.get(i))).findFirst().orElse(-1);
        if (bad >= 0) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage " + bad + " does not verify");
        }
    }

    private static boolean signaturesVerify(SuiteCrypto crypto, KeyPackage kp) {
        try {
            return crypto.verifyWithLabel(kp.leafNode().signatureKey(), KeyPackage.SIGNATURE_LABEL, kp.toBeSigned(),
                    kp.signature().toByteArray())
                    && crypto.verifyWithLabel(kp.leafNode().signatureKey(), TreeValidator.LEAF_SIGNATURE_LABEL,
                            kp.leafNode().toBeSigned(null, null), kp.leafNode().signature().toByteArray());
        } catch (CryptoException e) {
            return false;
        }
    }

    private Committed commit(GroupState s, List<Proposal> proposals, boolean withPath, boolean treeInWelcome)
            throws MlsException {
        SuiteCrypto crypto = s.crypto();
        Sender me = new Sender.Member(s.ownLeaf());
        List<ResolvedProposal> resolved = proposals.stream()
                .map(p -> new ResolvedProposal(p, me, Optional.<Bytes>empty())).toList();
        AppliedProposals applied = ProposalApplier.apply(s, resolved);
        RatchetTree tree = applied.tree();
        Optional<UpdatePath> path = Optional.empty();
        Optional<PreparedPath> prepared = Optional.empty();
        Secret commitSecret = Secret.zero(crypto.hashLength());
        TreePrivateKeys keys = s.privateKeys().retainMatching(tree);
        if (withPath) {
            PreparedPath pp = TreeKem.preparePath(tree, s.ownLeaf(), random,
                    TreeKem.resigning(crypto, s.ownLeafNode(), s.signaturePrivateKey(), s.groupId(), s.ownLeaf()));
            tree = pp.tree();
            byte[] provisional = EpochSuccession.provisionalContext(s, tree, applied.extensions()).toByteArray();
            path = Optional.of(pp.encrypt(provisional, Set.copyOf(applied.added())));
            prepared = Optional.of(pp);
            commitSecret = pp.commitSecret();
            keys = pp.privateKeys();
        }
        List<ProposalOrRef> byValue = proposals.stream().<ProposalOrRef>map(ProposalOrRef.ByValue::new).toList();
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), me, Bytes.EMPTY,
                new Content.CommitContent(new Commit(byValue, path)));
        Bytes signature = ContentSignatures.sign(crypto, s.signaturePrivateKey(), WireFormat.PUBLIC_MESSAGE, fc,
                s.context());
        AuthenticatedContent unconfirmed = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(Bytes.EMPTY)));
        EpochSuccession.NextEpoch next = EpochSuccession.derive(s, tree, applied.extensions(), unconfirmed,
                s.epochSecrets().initSecret(), commitSecret, Secret.zero(crypto.hashLength()));
        Bytes tag = TranscriptHashes.confirmationTag(crypto, next.epochSecrets().confirmationKey(),
                next.context().confirmedTranscriptHash());
        AuthenticatedContent content = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(tag)));
        MlsMessage message = MlsMessage.of(new PublicMessageProtection(crypto).protect(content, s.context(),
                Optional.of(s.epochSecrets().membershipKey())));
        Optional<MlsMessage> welcome = welcome(s, proposals, applied, next, tree, tag, prepared, treeInWelcome);
        GroupState state = EpochSuccession.successor(s, next, tree, s.ownLeaf(), keys, tag, applied.reInit(), config);
        return new Committed(message, welcome, state);
    }

    private Optional<MlsMessage> welcome(GroupState s, List<Proposal> proposals, AppliedProposals applied,
            EpochSuccession.NextEpoch next, RatchetTree tree, Bytes tag, Optional<PreparedPath> prepared,
            boolean treeInWelcome) throws MlsException {
        if (applied.added().isEmpty()) {
            return Optional.empty();
        }
        SuiteCrypto crypto = s.crypto();
        GroupInfo unsigned = new GroupInfo(next.context(),
                treeInWelcome ? List.of(tree.toExtension().toExtension()) : List.of(), tag, s.ownLeaf(), Bytes.EMPTY);
        GroupInfo info = unsigned.withSignature(Bytes.wrap(crypto.signWithLabel(s.signaturePrivateKey(),
                GroupInfo.SIGNATURE_LABEL, unsigned.toBeSigned())));
        WelcomeProtection wp = new WelcomeProtection(crypto);
        Bytes encryptedInfo = wp.sealGroupInfo(info, next.transition().welcomeKey());
        List<KeyPackage> added = new ArrayList<>();
        for (Proposal p : proposals) {
            if (p instanceof Proposal.Add add) {
                added.add(add.keyPackage());
            }
        }
        IntStream indices = IntStream.range(0, added.size());
        if (added.size() > 64) {
            indices = indices.parallel();
        }
        List<EncryptedGroupSecrets> secrets = indices.mapToObj(i -> {
            KeyPackage kp = added.get(i);
            LeafIndex leaf = applied.added().get(i);
            Optional<Secret> pathSecret = prepared.flatMap(pp -> pp.pathSecretFor(leaf));
            GroupSecrets gs = new GroupSecrets(next.transition().joinerSecret(), pathSecret, List.of());
            try {
                return wp.sealGroupSecrets(crypto.makeKeyPackageRef(kp.toByteArray()), kp.initKey(), encryptedInfo,
                        gs);
            } catch (MlsException e) {
                throw new IllegalStateException("sealing GroupSecrets failed", e);
            }
        }).toList();
        return Optional.of(MlsMessage.of(new Welcome(crypto.suite(), secrets, encryptedInfo)));
    }
}
