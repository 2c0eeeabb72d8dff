package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeExport;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.ExternalPub;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.schedule.EpochTransition;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.PreparedPath;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.validation.KeyPackageValidator;
import org.mlsbridge.mls.validation.LeafNodeValidator;
import org.mlsbridge.mls.validation.ProposalListValidator;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * Joining by external commit (RFC 9420 §12.4.3.2): from a GroupInfo with external_pub, derive
 * the init_secret with HPKE export towards external_pub, send ExternalInit (and, for a member
 * resyncing, a Remove of its old leaf; PreSharedKey proposals for external PSKs) with an UpdatePath from a new leaf, and start the new
 * epoch at once. The commit is a PublicMessage with sender new_member_commit and no membership
 * tag; the members process it like any commit.
 */
final class ExternalCommitter {
    private final GroupConfig config;
    private final SecureRandom random;

    ExternalCommitter(GroupConfig config, SecureRandom random) {
        this.config = config;
        this.random = random;
    }

    record Joined(MlsMessage commit, GroupState state) {
    }

    /** The config's leaf validator, and for a resync the old leaf the new one succeeds. */
    private record Validation(LeafNodeValidator leaves, Optional<LeafNode> replaced) {
    }

    Joined join(GroupInfo info, Optional<List<Optional<Node>>> outOfBandTree, SignatureIdentity identity,
            Optional<LeafIndex> resync, Bytes authenticatedData) throws MlsException {
        return join(info, outOfBandTree, identity, resync, List.of(), PskLookup.none(), authenticatedData);
    }

    /**
     * With a PreSharedKey proposal for each of {@code externalPsks} (§12.4.3.2 allows them in an
     * external commit); their values come from {@code psks} and enter the key schedule.
     */
    Joined join(GroupInfo info, Optional<List<Optional<Node>>> outOfBandTree, SignatureIdentity identity,
            Optional<LeafIndex> resync, List<Bytes> externalPsks, PskLookup psks, Bytes authenticatedData)
            throws MlsException {
        GroupContext context = info.groupContext();
        // The suite comes from the peer's GroupInfo, so a mismatch is a refusal the caller can act on, not misuse.
        if (identity.cipherSuite() != context.cipherSuite()) {
            throw new ValidationException(FailureReason.POLICY, "the GroupInfo's group uses " + context.cipherSuite()
                    + " but this identity signs for " + identity.cipherSuite()
                    + ": join with an identity of the group's cipher suite");
        }
        SuiteCrypto crypto = config.crypto().suite(context.cipherSuite());
        // Every leaf too (§7.3), as a Welcome joiner checks them: this member will encrypt to them.
        RatchetTree tree = JoiningTree.verified(crypto, info, outOfBandTree, config);
        Bytes externalPub = ExternalPub.fromExtension(Extensions.find(info.extensions(), Extension.EXTERNAL_PUB)
                .orElseThrow(() -> new ValidationException(
                        "RFC 9420 §12.4.3.2: the GroupInfo has no external_pub extension"))).externalPub();
        HpkeExport export = crypto.hpkeExportSender(externalPub, new byte[0], CommitProcessor.EXTERNAL_INIT_LABEL,
                crypto.hashLength());
        List<Proposal> proposals = new ArrayList<>();
        proposals.add(new Proposal.ExternalInit(export.kemOutput()));
        resync.ifPresent(old -> proposals.add(new Proposal.Remove(old)));
        List<PreSharedKeyId> pskIds = new ArrayList<>();
        for (Bytes pskId : externalPsks) {
            byte[] nonce = new byte[crypto.hashLength()];
            random.nextBytes(nonce);
            PreSharedKeyId id = new PreSharedKeyId.ExternalPsk(pskId, Bytes.wrap(nonce));
            pskIds.add(id);
            proposals.add(new Proposal.PreSharedKey(id));
        }
        Sender sender = new Sender.NewMemberCommit();
        LeafNodeValidator leaves = new LeafNodeValidator(config.credentials(), config.clock());
        new ProposalListValidator(new KeyPackageValidator(leaves)).validate(proposals.stream().map(p -> ResolvedProposal.byValue(p, sender))
                .toList(), sender, true, tree, context);
        RatchetTree applied = resync.map(tree::removeLeaf).orElse(tree);
        Secret pskSecret = PskResolver.resolveForJoin(crypto, pskIds, psks);
        try {
            Optional<LeafNode> replaced = resync.flatMap(tree::leaf);
            return commit(crypto, info, applied, identity, proposals, authenticatedData, export.exportedSecret(),
                    pskSecret, new Validation(leaves, replaced));
        } finally {
            export.exportedSecret().destroy();
            pskSecret.destroy();
        }
    }

    private Joined commit(SuiteCrypto crypto, GroupInfo info, RatchetTree applied, SignatureIdentity identity,
            List<Proposal> proposals, Bytes authenticatedData, Secret initSecret, Secret pskSecret,
            Validation validation) throws MlsException {
        GroupContext context = info.groupContext();
        LeafNode placeholder = new LeafNode(crypto.generateHpkeKeyPair().publicKey(), identity.signaturePublicKey(),
                identity.credential(), GroupCreator.capabilitiesFor(identity, context.extensions()),
                LeafNodeSource.COMMIT, Optional.empty(), Optional.of(Bytes.EMPTY), List.of(), Bytes.EMPTY);
        RatchetTree.Added added = applied.addLeaf(placeholder);
        LeafIndex me = added.leaf();
        Secret signingKey = identity.signaturePrivateKey();
        PreparedPath pp = TreeKem.preparePath(added.tree(), me, random,
                TreeKem.resigning(crypto, placeholder, signingKey, context.groupId(), me));
        GroupContext provisional = new GroupContext(context.version(), context.cipherSuite(), context.groupId(),
                context.epoch() + 1, pp.tree().treeHash(), context.confirmedTranscriptHash(), context.extensions());
        validation.leaves().validateCommitLeaf(pp.leafNode(), me, provisional, added.tree(), validation.replaced());
        UpdatePath path = pp.encrypt(provisional.toByteArray(), Set.of());
        FramedContent fc = new FramedContent(context.groupId(), context.epoch(), new Sender.NewMemberCommit(),
                authenticatedData, new Content.CommitContent(new Commit(proposals.stream()
                        .<ProposalOrRef>map(ProposalOrRef.ByValue::new).toList(), Optional.of(path))));
        Bytes signature = ContentSignatures.sign(crypto, signingKey, WireFormat.PUBLIC_MESSAGE, fc, context);
        AuthenticatedContent unconfirmed = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(Bytes.EMPTY)));
        Bytes interim = TranscriptHashes.interimAfter(crypto, context.confirmedTranscriptHash(), info.confirmationTag());
        Bytes confirmed = TranscriptHashes.confirmedAfter(crypto, interim, unconfirmed);
        GroupContext next = new GroupContext(context.version(), context.cipherSuite(), context.groupId(),
                context.epoch() + 1, pp.tree().treeHash(), confirmed, context.extensions());
        EpochTransition t = new KeySchedule(crypto).nextEpoch(initSecret, pp.commitSecret(), pskSecret, next);
        t.destroyJoinerSecrets();
        pp.commitSecret().destroy();
        pp.pathSecrets().forEach(Secret::destroy);
        Bytes tag = TranscriptHashes.confirmationTag(crypto, t.epochSecrets().confirmationKey(), confirmed);
        AuthenticatedContent content = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(tag)));
        MlsMessage message = MlsMessage.of(new PublicMessageProtection(crypto).protect(content, context,
                Optional.empty()));
        GroupState state = EpochSuccession.initial(crypto, next, pp.tree(), me, pp.privateKeys(),
                Secret.wrap(signingKey.copy()), t.epochSecrets(), tag, config);
        return new Joined(message, state);
    }
}
