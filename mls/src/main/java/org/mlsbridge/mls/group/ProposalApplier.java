package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * Applies a validated proposal list to a copy of the tree and context in the order of RFC 9420
 * §12.3: GroupContextExtensions, Update, Remove, Add, then PreSharedKey, ExternalInit and ReInit,
 * which only feed the key schedule. Committers and receivers use the same code.
 */
public final class ProposalApplier {
    private ProposalApplier() {
    }

    public static AppliedProposals apply(GroupState state, List<ResolvedProposal> proposals)
            throws ValidationException {
        return apply(state.context(), state.tree(), proposals);
    }

    /** The same on a context and tree alone, for a public view of the group ({@link PublicGroupView}). */
    public static AppliedProposals apply(GroupContext context, RatchetTree current, List<ResolvedProposal> proposals)
            throws ValidationException {
        List<Extension> extensions = context.extensions();
        for (ResolvedProposal p : proposals) {
            if (p.proposal() instanceof Proposal.GroupContextExtensions gce) {
                extensions = gce.extensions();
            }
        }
        RatchetTree tree = current;
        for (ResolvedProposal p : proposals) {
            if (p.proposal() instanceof Proposal.Update u && p.sender() instanceof Sender.Member m) {
                tree = tree.updateLeaf(m.leaf(), u.leafNode());
            }
        }
        List<LeafIndex> removed = new ArrayList<>();
        for (ResolvedProposal p : proposals) {
            if (p.proposal() instanceof Proposal.Remove r) {
                RatchetTree before = tree;
                LeafIndex target = r.removed().filter(l -> before.leaf(l).isPresent())
                        .orElseThrow(() -> new ValidationException("RFC 9420 §12.1.3: Remove of leaf "
                                + r.removedValue() + ", which is not a member"));
                tree = tree.removeLeaf(target);
                removed.add(target);
            }
        }
        List<LeafIndex> added = new ArrayList<>();
        for (ResolvedProposal p : proposals) {
            if (p.proposal() instanceof Proposal.Add a) {
                RatchetTree.Added result = tree.addLeaf(a.keyPackage().leafNode());
                tree = result.tree();
                added.add(result.leaf());
            }
        }
        return new AppliedProposals(tree, extensions, added, removed, psks(proposals),
                first(proposals, Proposal.ExternalInit.class), first(proposals, Proposal.ReInit.class));
    }

    private static List<PreSharedKeyId> psks(List<ResolvedProposal> proposals) {
        List<PreSharedKeyId> out = new ArrayList<>();
        for (ResolvedProposal p : proposals) {
            if (p.proposal() instanceof Proposal.PreSharedKey psk) {
                out.add(psk.psk());
            }
        }
        return out;
    }

    private static <T extends Proposal> Optional<T> first(List<ResolvedProposal> proposals, Class<T> type) {
        return proposals.stream().map(ResolvedProposal::proposal).filter(type::isInstance).map(type::cast).findFirst();
    }
}
