package org.mlsbridge.interop;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;

/** The harness names members by the identity in their basic credential; this finds their leaves. */
final class Members {
    private Members() {
    }

    static LeafIndex leafOf(RatchetTree tree, Bytes identity, String field) throws RpcFailure {
        return tree.findLeaf(leaf -> leaf.credential() instanceof Credential.BasicCredential b
                && b.identity().equals(identity))
                .orElseThrow(() -> RpcFailure.invalid(field + ": no member has the identity " + identity));
    }

    /**
     * The tree a GroupInfo describes (its extension, else the one given out of band), decoded but
     * not verified: only for finding a leaf. The library verifies it before anything is signed
     * or derived from it.
     */
    static RatchetTree unverifiedTree(CryptoProvider crypto, GroupInfo info, Optional<List<Optional<Node>>> outOfBand)
            throws RpcFailure {
        try {
            Optional<Extension> ext = Extensions.find(info.extensions(), Extension.RATCHET_TREE);
            List<Optional<Node>> nodes = ext.isPresent() ? RatchetTreeExtension.fromExtension(ext.get()).nodes()
                    : outOfBand.orElseThrow(() -> RpcFailure.invalid(
                            "the GroupInfo has no ratchet_tree extension and ratchet_tree is empty"));
            return RatchetTree.fromNodes(crypto.suite(info.groupContext().cipherSuite()), nodes);
        } catch (DecodeException | ValidationException e) {
            throw RpcFailure.invalid("the GroupInfo's ratchet tree is malformed: " + e.getMessage());
        }
    }
}
