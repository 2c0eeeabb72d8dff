package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * A commit that passed every check, with the next epoch fully computed but not yet in effect:
 * inspect it (who is added and removed, which proposals it covers), then
 * {@link MlsGroup#merge merge} it, or drop it to stay in the current epoch.
 *
 * @param groupId the group it belongs to
 * @param epoch the epoch it ends
 * @param committer its sender
 * @param proposals the proposals it covers, resolved
 * @param applied their effect on the tree and context
 * @param next the state of the new epoch; empty when the commit removes this member, who then
 *     cannot follow the group any further
 */
public record StagedCommit(Bytes groupId, long epoch, Sender committer, List<ResolvedProposal> proposals,
        AppliedProposals applied, Optional<GroupState> next, Bytes authenticatedData) implements ProcessedMessage {
    public StagedCommit {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(committer, "committer");
        proposals = List.copyOf(proposals);
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(authenticatedData, "authenticatedData");
    }

    /** Whether merging this commit takes this member out of the group. */
    public boolean removesSelf() {
        return next.isEmpty();
    }

    public List<LeafIndex> addedMembers() {
        return applied.added();
    }

    public List<LeafIndex> removedMembers() {
        return applied.removed();
    }

    /** The ReInit this commit carries: after merging, the group is to be re-created (§11.2). */
    public Optional<Proposal.ReInit> reInit() {
        return applied.reInit();
    }

    /** The epoch authenticator of the new epoch (§8.7), if this member stays. */
    public Optional<Bytes> epochAuthenticator() {
        return next.map(GroupState::epochAuthenticator);
    }
}
