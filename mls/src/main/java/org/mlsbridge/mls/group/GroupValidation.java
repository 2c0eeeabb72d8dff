package org.mlsbridge.mls.group;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.validation.JoinerSupport;
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
    private final ValidationPolicy policy;
    private final Clock clock;
    private final LeafNodeValidator leaves;
    private final ProposalListValidator proposals;

    GroupValidation(GroupConfig config) {
        this.policy = config.validation();
        this.clock = config.clock();
        this.leaves = leafValidator(config);
        this.proposals = new ProposalListValidator(new KeyPackageValidator(leaves));
    }

    /** The §7.3 checks of received leaves under the config's credential policy, clock and lifetime policy. */
    static LeafNodeValidator leafValidator(GroupConfig config) {
        return config.validation().checkReceivedLifetimes()
                ? new LeafNodeValidator(config.credentials(), config.clock())
                : LeafNodeValidator.ignoringLifetimes(config.credentials());
    }

    /** §12.1: a proposal received on its own, against the current epoch. */
    void proposal(GroupState state, Proposal proposal, Sender sender) throws ValidationException {
        proposals.validateProposal(new ResolvedProposal(proposal, sender, Optional.empty()), state.tree(),
                state.context());
    }

    /**
     * §12.2, §12.4: the proposals a commit covers, and whether it needs a path. First the
     * tree-size cap, so a commit that would grow the tree too far costs no KeyPackage checks.
     */
    void proposalList(GroupState state, List<ResolvedProposal> list, Sender committer, boolean hasPath)
            throws ValidationException {
        checkGrowth(state.tree(), list);
        proposals.validate(list, committer, hasPath, state.tree(), state.context());
    }

    /**
     * The lifetime (always) and the adder's capability check
     * ({@link ValidationPolicy#checkJoinerCapabilities}) for Adds this member creates: proposed
     * on their own or committed by value. The context is the one the Adds are evaluated under
     * (§12.3: a GroupContextExtensions of the same commit applies).
     */
    void ownAdds(GroupState state, List<Proposal> created) throws ValidationException {
        for (Proposal p : created) {
            // A leaf without lifetime is not a KeyPackage leaf: the §7.3 source check refuses it.
            if (p instanceof Proposal.Add a && a.keyPackage().leafNode().lifetime().isPresent()) {
                // §7.3: a leaf this member sends must be within its lifetime, whatever the
                // policy for received ones.
                LeafNodeValidator.checkLifetime(a.keyPackage().leafNode(), clock);
            }
        }
        if (!policy.checkJoinerCapabilities()) {
            return;
        }
        GroupContext c = state.context();
        List<org.mlsbridge.mls.message.Extension> extensions = c.extensions();
        for (Proposal p : created) {
            if (p instanceof Proposal.GroupContextExtensions g) {
                extensions = g.extensions();
            }
        }
        GroupContext effective = new GroupContext(c.version(), c.cipherSuite(), c.groupId(), c.epoch(), c.treeHash(),
                c.confirmedTranscriptHash(), extensions);
        for (Proposal p : created) {
            if (p instanceof Proposal.Add a) {
                JoinerSupport.check(a.keyPackage(), effective);
            }
        }
    }

    /**
     * The tree-size cap for a commit: the members after it (current ones, minus Removes, plus
     * Adds and an external joiner) must fit. Counting is O(proposals); the exact width after
     * the Adds is checked again by {@link #checkTreeSize} once they are applied.
     */
    void checkGrowth(RatchetTree tree, List<ResolvedProposal> list) throws ValidationException {
        long members = tree.memberCount();
        for (ResolvedProposal rp : list) {
            switch (rp.proposal()) {
                case Proposal.Add a -> members++;
                case Proposal.Remove r -> members--;
                case Proposal.ExternalInit e -> members++;
                default -> { }
            }
        }
        if (members > policy.maxLeaves()) {
            throw tooLarge("the commit would leave " + members + " members");
        }
    }

    /** The tree-size cap for a tree this member is about to use or has just grown. */
    void checkTreeSize(RatchetTree tree) throws ValidationException {
        if (tree.leafCount() > policy.maxLeaves()) {
            throw tooLarge("the tree has " + tree.leafCount() + " leaves");
        }
    }

    ValidationException tooLarge(String what) {
        return tooLarge(policy, what);
    }

    static ValidationException tooLarge(ValidationPolicy policy, String what) {
        return new ValidationException(FailureReason.TOO_LARGE, what + ", more than this member's limit of "
                + policy.maxLeaves() + " leaves (ValidationPolicy.maxLeaves)");
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
