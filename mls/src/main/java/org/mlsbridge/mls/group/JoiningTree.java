package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.WelcomeProtection;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * The ratchet tree of a group being joined or followed, from a GroupInfo (RFC 9420 §12.4.3.1,
 * §12.4.3.2): one path for Welcome joiners, external joiners and public views, so each gets
 * the same checks. The tree-size cap ({@link ValidationPolicy#maxLeaves}) comes first, while
 * decoding; then the GroupInfo signature, the tree's hash, parent hashes, leaf signatures and
 * unique keys ({@link TreeValidator}); then every leaf against §7.3 ({@link GroupValidation#joinTree}).
 */
final class JoiningTree {
    private JoiningTree() {
    }

    static RatchetTree verified(SuiteCrypto crypto, GroupInfo info, Optional<List<Optional<Node>>> outOfBand,
            GroupConfig config) throws MlsException {
        RatchetTree tree = decode(crypto, info, outOfBand, config.validation());
        LeafNode signer = tree.leaf(info.signer()).orElseThrow(() -> new ValidationException(
                "RFC 9420 §12.4.3.1: the GroupInfo signer " + info.signer() + " is not a member"));
        new WelcomeProtection(crypto).verifyGroupInfoSignature(info, signer.signatureKey());
        TreeValidator.validate(tree, info.groupContext().groupId(), info.groupContext().treeHash());
        new GroupValidation(config).joinTree(tree, info.groupContext());
        return tree;
    }

    private static RatchetTree decode(SuiteCrypto crypto, GroupInfo info, Optional<List<Optional<Node>>> outOfBand,
            ValidationPolicy policy) throws MlsException {
        Optional<Extension> ext = Extensions.find(info.extensions(), Extension.RATCHET_TREE);
        List<Optional<Node>> nodes;
        if (ext.isPresent()) {
            nodes = RatchetTreeExtension.fromExtension(ext.get(), policy.maxNodes()).nodes();
        } else {
            nodes = outOfBand.orElseThrow(() -> new ValidationException(
                    "RFC 9420 §12.4.3.3: the GroupInfo has no ratchet_tree extension and no tree was given"));
            if (nodes.size() > policy.maxNodes()) {
                throw GroupValidation.tooLarge(policy, "the ratchet tree given has " + nodes.size() + " nodes");
            }
        }
        RatchetTree tree = RatchetTree.fromNodes(crypto, nodes);
        // The node count allows a width of up to 2 * maxLeaves - 1 slots, i.e. more leaves than
        // the cap when it is not a power of two.
        if (tree.leafCount() > policy.maxLeaves()) {
            throw GroupValidation.tooLarge(policy, "the ratchet tree has " + tree.leafCount() + " leaves");
        }
        return tree;
    }
}
