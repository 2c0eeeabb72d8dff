package org.mlsbridge.bridge.manager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.PublicCommit;
import org.mlsbridge.mls.group.PublicGroupView;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * The external-sender bot's view of a group: an anchor GroupInfo (verified signature, tree and
 * leaves) and who sits at which leaves. A commit is followed by replaying the epoch's public
 * proposals into a {@link PublicGroupView} of the anchor and staging the commit there, which
 * checks it like a member would (except the confirmation and membership tags) and computes the
 * next GroupContext; the next anchor must carry exactly that context.
 *
 * @param users each account's leaves (one per device)
 */
record PublicView(GroupInfo anchor, PublicGroupView group, Map<UserId, List<LeafIndex>> users) {
    static Optional<PublicView> of(GroupInfo gi, ClientOptions options) {
        try {
            PublicGroupView v = PublicGroupView.fromGroupInfo(gi, Optional.empty(), options.groupConfig());
            Map<UserId, List<LeafIndex>> users = new HashMap<>();
            v.tree().forEachLeaf((i, leaf) -> Wire.user(leaf.credential())
                    .ifPresent(u -> users.computeIfAbsent(u, x -> new ArrayList<>()).add(i)));
            return Optional.of(new PublicView(gi, v, users));
        } catch (MlsException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<PublicView> decode(Bytes raw, ClientOptions options) {
        try {
            return MlsMessage.decode(raw).body() instanceof GroupInfo gi ? of(gi, options) : Optional.empty();
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    long epoch() {
        return anchor.groupContext().epoch();
    }

    Bytes groupId() {
        return anchor.groupContext().groupId();
    }

    /**
     * Stages {@code commit} on a fresh view of the anchor after the epoch's proposals (those that
     * fail are skipped, as members skip them); the view itself is unchanged.
     */
    PublicCommit stage(List<Bytes> proposals, MlsMessage commit, ClientOptions options) throws MlsException {
        PublicGroupView v = PublicGroupView.fromGroupInfo(anchor, Optional.empty(), options.groupConfig());
        for (Bytes p : proposals) {
            try {
                v.process(MlsMessage.decode(p));
            } catch (MlsException e) {
                // refused by members too: a commit cannot reference it
            }
        }
        if (!(v.process(commit) instanceof PublicCommit staged)) {
            throw new DecodeException("not a commit");
        }
        return staged;
    }
}
