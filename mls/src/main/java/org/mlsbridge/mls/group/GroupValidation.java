package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.validation.KeyPackageValidator;
import org.mlsbridge.mls.validation.LeafNodeValidator;
import org.mlsbridge.mls.validation.ProposalListValidator;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * The one place where the group layer asks package {@code validation} whether what peers send
 * is acceptable (RFC 9420 §7.3, §10.1, §12.1, §12.2), with the credential policy and clock of
 * the {@link GroupConfig}.
 */
final class GroupValidation {
    private final LeafNodeValidator leaves;
    private final ProposalListValidator proposals;

    GroupValidation(GroupConfig config) {
        this.leaves = new LeafNodeValidator(config.credentials(), config.clock());
        this.proposals = new ProposalListValidator(new KeyPackageValidator(leaves));
    }

    /** §12.1: a proposal received on its own, against the current epoch. */
    void proposal(GroupState state, Proposal proposal, Sender sender) throws ValidationException {
        proposals.validateProposal(new ResolvedProposal(proposal, sender, Optional.empty()), state.tree(),
                state.context());
    }

    /** §12.2, §12.4: the proposals a commit covers, and whether it needs a path. */
    void proposalList(GroupState state, List<ResolvedProposal> list, Sender committer, boolean hasPath)
            throws ValidationException {
        proposals.validate(list, committer, hasPath, state.tree(), state.context());
    }

    /**
     * §12.4.2: the UpdatePath leaf at {@code committer}, against the tree after the proposals
     * and the new extensions. For an external commit that removes the joiner's old leaf (a
     * resync), that leaf is the one the new leaf succeeds.
     */
    void commitLeaf(GroupState state, AppliedProposals applied, LeafNode leaf, LeafIndex committer, Sender sender)
            throws ValidationException {
        GroupContext c = state.context();
        GroupContext effective = new GroupContext(c.version(), c.cipherSuite(), c.groupId(), c.epoch(), c.treeHash(),
                c.confirmedTranscriptHash(), applied.extensions());
        Optional<LeafNode> replaced = sender instanceof Sender.NewMemberCommit && !applied.removed().isEmpty()
                ? state.tree().leaf(applied.removed().get(0)) : Optional.empty();
        leaves.validateCommitLeaf(leaf, committer, effective, applied.tree(), replaced);
    }

    /**
     * §12.4.3.1: every leaf of a joiner's tree, beyond the tree checks of {@code TreeValidator},
     * which the caller ran first: the leaf signatures are verified there (on every core), not
     * twice.
     */
    void joinTree(RatchetTree tree, GroupContext context) throws ValidationException {
        leaves.validateTreeExceptSignatures(tree, context);
    }
}
