package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * A PublicMessage commit as a {@link PublicGroupView} sees it: checked (signature, proposal
 * rules, the committer's new leaf and path) and its effect computed, but not in effect until
 * {@link PublicGroupView#merge merged}. Its confirmation tag cannot be checked without the
 * group's secrets.
 *
 * @param epoch the epoch it ends
 * @param context the GroupContext of the epoch it starts
 */
public record PublicCommit(long epoch, Sender committer, List<ResolvedProposal> proposals, List<LeafIndex> added,
        List<LeafIndex> removed, GroupContext context, RatchetTree tree,
        Bytes interimTranscriptHash) implements PublicEvent {
    public PublicCommit {
        Objects.requireNonNull(committer, "committer");
        proposals = List.copyOf(proposals);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(interimTranscriptHash, "interimTranscriptHash");
    }
}
