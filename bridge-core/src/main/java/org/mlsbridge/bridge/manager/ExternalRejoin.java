package org.mlsbridge.bridge.manager;

import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;

/** Re-joining a group by external commit (RFC 9420 §12.4.3.2) after this client lost its state. */
final class ExternalRejoin {
    private ExternalRejoin() {
    }

    record Result(Bytes commit, MlsGroup group) {
    }

    /** Our leaf in the GroupInfo's tree: we are still a member by the group's account. */
    static Optional<LeafIndex> ownLeaf(GroupInfo gi, UserId self, GroupConfig config) {
        try {
            Optional<RatchetTreeExtension> ext = Extensions.findParsed(gi.extensions(), Extension.RATCHET_TREE,
                    r -> RatchetTreeExtension.readFrom(r, config.validation().maxNodes()));
            if (ext.isEmpty()) {
                return Optional.empty();
            }
            RatchetTree tree = RatchetTree.fromExtension(config.crypto().suite(gi.groupContext().cipherSuite()),
                    ext.get());
            return tree.findLeaf(l -> Wire.user(l.credential()).map(self::equals).orElse(false));
        } catch (MlsException e) {
            return Optional.empty();
        }
    }

    /** Our leaf node's encryption key in the GroupInfo's tree, to tell a pending Welcome from lost state. */
    static Optional<Bytes> leafKey(GroupInfo gi, LeafIndex leaf, GroupConfig config) {
        try {
            Optional<RatchetTreeExtension> ext = Extensions.findParsed(gi.extensions(), Extension.RATCHET_TREE,
                    r -> RatchetTreeExtension.readFrom(r, config.validation().maxNodes()));
            if (ext.isEmpty()) {
                return Optional.empty();
            }
            RatchetTree tree = RatchetTree.fromExtension(config.crypto().suite(gi.groupContext().cipherSuite()),
                    ext.get());
            return tree.leaf(leaf).map(l -> l.encryptionKey());
        } catch (MlsException e) {
            return Optional.empty();
        }
    }

    static Result commit(GroupInfo gi, SignatureIdentity identity, LeafIndex oldLeaf, GroupConfig config,
            PskLookup psks) throws MlsException {
        ExternalJoin join = MlsGroup.joinByExternalCommit(gi, Optional.empty(), identity, Optional.of(oldLeaf),
                Bytes.EMPTY, config, psks);
        return new Result(join.commit().encode(), join.group());
    }
}
