package org.mlsbridge.mls.group;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.ReceivedPath;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.tree.TreePrivateKeys;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * Processing a received commit (RFC 9420 §12.4.2) up to a {@link StagedCommit}: resolve and
 * validate its proposals, apply them to a copy of the tree, place an external joiner, merge and
 * decrypt the UpdatePath, derive the PSK, init and commit secrets, run the key schedule and
 * check the confirmation tag. Nothing of the current state changes.
 */
final class CommitProcessor {
    /** Exporter label of the external init secret (§8.3). */
    static final byte[] EXTERNAL_INIT_LABEL = "MLS 1.0 external init secret".getBytes(StandardCharsets.US_ASCII);

    private final GroupConfig config;
    private final PskLookup psks;
    private final GroupValidation validation;

    CommitProcessor(GroupConfig config, PskLookup psks, GroupValidation validation) {
        this.config = config;
        this.psks = psks;
        this.validation = validation;
    }

    /** The validators this processor uses, for other receive paths of the same group. */
    GroupValidation validation() {
        return validation;
    }

    private record Placed(RatchetTree tree, LeafIndex committer) {
    }

    private record PathOutcome(RatchetTree tree, TreePrivateKeys keys, Secret commitSecret) {
    }

    StagedCommit process(GroupState state, AuthenticatedContent content) throws MlsException {
        Commit commit = ((Content.CommitContent) content.content().content()).commit();
        Sender committer = content.content().sender();
        if (committer.equals(new Sender.Member(state.ownLeaf()))) {
            throw new ValidationException("RFC 9420 §12.4.2: a commit signed by this member that is not its pending "
                    + "commit cannot be processed (its path secrets are not known here)");
        }
        List<ResolvedProposal> proposals = ProposalResolver.resolve(state, commit, committer);
        validation.proposalList(state, proposals, committer, commit.path().isPresent());
        AppliedProposals applied = ProposalApplier.apply(state, proposals);
        Placed placed = place(state, applied, committer, commit);
        validation.checkTreeSize(placed.tree());
        Bytes groupId = state.groupId();
        if (applied.removed().contains(state.ownLeaf())) {
            return new StagedCommit(groupId, state.epoch(), committer, proposals, applied, Optional.empty(),
                    content.content().authenticatedData());
        }
        PathOutcome path = commit.path().isPresent()
                ? mergePath(state, applied, placed, commit.path().get(), committer)
                : new PathOutcome(placed.tree(), state.privateKeys().retainMatching(placed.tree()),
                        Secret.zero(state.crypto().hashLength()));
        GroupState next = nextState(state, applied, path, content);
        return new StagedCommit(groupId, state.epoch(), committer, proposals, applied, Optional.of(next),
                content.content().authenticatedData());
    }

    /** Where the committer sits: its own leaf, or for an external commit the leaf its path leaf fills (§12.4.3.2). */
    private Placed place(GroupState state, AppliedProposals applied, Sender committer, Commit commit)
            throws ValidationException {
        return switch (committer) {
            case Sender.Member m -> new Placed(applied.tree(), m.leaf());
            case Sender.NewMemberCommit n -> {
                UpdatePath path = commit.path().orElseThrow(() -> new ValidationException(
                        "RFC 9420 §12.4.3.2: an external commit must carry an UpdatePath"));
                RatchetTree.Added added = applied.tree().addLeaf(path.leafNode());
                yield new Placed(added.tree(), added.leaf());
            }
            default -> throw new ValidationException("RFC 9420 §6: a " + committer + " sender cannot commit");
        };
    }

    /** §12.4.2: validate the committer's new leaf, merge its path, decrypt our path secret. */
    private PathOutcome mergePath(GroupState state, AppliedProposals applied, Placed placed, UpdatePath path,
            Sender committer) throws MlsException {
        validation.commitLeaf(state, applied, path.leafNode(), placed.committer(), committer);
        RatchetTree merged = TreeKem.mergePath(placed.tree(), placed.committer(), path);
        byte[] provisional = EpochSuccession.provisionalContext(state, merged, applied.extensions()).toByteArray();
        ReceivedPath received = TreeKem.decryptPath(merged, placed.committer(), path, state.ownLeaf(),
                state.privateKeys(), provisional, Set.copyOf(applied.added()));
        received.pathSecret().destroy();
        return new PathOutcome(merged, received.privateKeys(), received.commitSecret());
    }

    private GroupState nextState(GroupState state, AppliedProposals applied, PathOutcome path,
            AuthenticatedContent content) throws MlsException {
        Secret pskSecret = PskResolver.resolve(state, applied.psks(), psks);
        Optional<Secret> externalInit = externalInitSecret(state, applied.externalInit());
        Secret initSecret = externalInit.orElse(state.epochSecrets().initSecret());
        EpochSuccession.NextEpoch next;
        try {
            next = EpochSuccession.derive(state, path.tree(), applied.extensions(), content, initSecret,
                    path.commitSecret(), pskSecret);
        } finally {
            pskSecret.destroy();
            path.commitSecret().destroy();
            externalInit.ifPresent(Secret::destroy);
        }
        next.transition().destroyJoinerSecrets();
        Bytes tag = content.auth().confirmationTag().orElseThrow();
        try {
            TranscriptHashes.verifyConfirmationTag(state.crypto(), next.epochSecrets().confirmationKey(),
                    next.context().confirmedTranscriptHash(), tag);
        } catch (ValidationException e) {
            next.epochSecrets().destroy();
            throw e;
        }
        return EpochSuccession.successor(state, next, path.tree(), state.ownLeaf(), path.keys(), tag,
                applied.reInit(), config);
    }

    /** §8.3: init_secret from the ExternalInit's kem_output and this epoch's external key pair. */
    private static Optional<Secret> externalInitSecret(GroupState state, Optional<Proposal.ExternalInit> init)
            throws MlsException {
        if (init.isEmpty()) {
            return Optional.empty();
        }
        SuiteCrypto crypto = state.crypto();
        HpkeKeyPair external = state.epochSecrets().externalKeyPair();
        try {
            return Optional.of(crypto.hpkeExportReceiver(external.privateKey(), init.get().kemOutput(), new byte[0],
                    EXTERNAL_INIT_LABEL, crypto.hashLength()));
        } finally {
            external.privateKey().destroy();
        }
    }
}
