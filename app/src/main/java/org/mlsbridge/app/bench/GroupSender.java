package org.mlsbridge.app.bench;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * The sending side as the benchmark drives it, on the library's {@link MlsGroup}: one method per
 * measured operation. Commits are made as a real member makes them (the group's {@code commit},
 * which validates the proposals), with the ratchet tree out of band unless said otherwise, and
 * without external_pub, so that a commit costs what the protocol needs and nothing optional.
 */
final class GroupSender {
    /** What a commit produced: the message to send, the Welcome (for Adds), the committer's next state. */
    record Committed(MlsMessage commit, Optional<MlsMessage> welcome, GroupState next) {
    }

    private final GroupConfig config;

    GroupSender(GroupConfig config) {
        this.config = config;
    }

    /** A one-member group at epoch 0 (RFC 9420 §11). */
    GroupState create(SignatureIdentity creator, Bytes groupId) throws MlsException {
        return MlsGroup.create(creator, groupId, List.of(), config, PskLookup.none()).state();
    }

    /** A commit adding {@code keyPackages} without an UpdatePath, and its Welcome. */
    Committed add(GroupState state, List<KeyPackage> keyPackages, boolean treeInWelcome) throws MlsException {
        List<Proposal> adds = keyPackages.stream().<Proposal>map(Proposal.Add::new).toList();
        return commit(state, options().withValues(adds).withPath(false).withRatchetTreeInGroupInfo(treeInWelcome));
    }

    /** An empty commit with an UpdatePath. */
    Committed update(GroupState state) throws MlsException {
        return commit(state, options());
    }

    /** A commit removing {@code leaf}, with an UpdatePath. */
    Committed remove(GroupState state, LeafIndex leaf) throws MlsException {
        return commit(state, options().withValues(List.of(new Proposal.Remove(leaf.value()))));
    }

    /** A member that sends application messages from {@code state} on (its ratchets move forward). */
    MlsGroup member(GroupState state) {
        return MlsGroup.resume(state, config, PskLookup.none());
    }

    private static CommitOptions options() {
        return CommitOptions.empty().withRatchetTreeInGroupInfo(false).withExternalPubInGroupInfo(false);
    }

    private Committed commit(GroupState state, CommitOptions options) throws MlsException {
        CommitOutput out = member(state).commit(options);
        return new Committed(out.commit(), out.welcomeMessage(), out.pending().next().orElseThrow());
    }
}
