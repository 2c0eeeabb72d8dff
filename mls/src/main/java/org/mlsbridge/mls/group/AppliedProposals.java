package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * The effect of a commit's proposals (RFC 9420 §12.3), before any UpdatePath.
 *
 * @param tree the tree with Updates, Removes and Adds applied
 * @param extensions the GroupContext extensions of the new epoch
 * @param added leaves filled by Add proposals, in order
 * @param removed leaves emptied by Remove proposals
 * @param psks the PSKs of PreSharedKey proposals, in the commit's order
 */
public record AppliedProposals(RatchetTree tree, List<Extension> extensions, List<LeafIndex> added,
        List<LeafIndex> removed, List<PreSharedKeyId> psks, Optional<Proposal.ExternalInit> externalInit,
        Optional<Proposal.ReInit> reInit) {
    public AppliedProposals {
        extensions = List.copyOf(extensions);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        psks = List.copyOf(psks);
    }
}
