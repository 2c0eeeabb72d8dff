package org.mlsbridge.vectors.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeValidator;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * tree-validation.json: the tree hash and resolution of every node, and the tree's validity:
 * parent hashes, leaf signatures (bound to group_id), unique keys.
 */
public final class TreeValidationChecker implements VectorChecker {
    @Override
    public String kind() {
        return "tree-validation";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "tree", "group_id", "tree_hashes", "resolutions");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = TreeVectors.crypto(c);
        RatchetTree tree = TreeVectors.tree(crypto, c, "tree");
        JsonNode hashes = Json.field(c, "tree_hashes");
        JsonNode resolutions = Json.field(c, "resolutions");
        Check.equal("number of tree hashes", hashes.size(), tree.nodeWidth());
        Check.equal("number of resolutions", resolutions.size(), tree.nodeWidth());
        for (int i = 0; i < tree.nodeWidth(); i++) {
            NodeIndex x = NodeIndex.of(i);
            Check.bytes("tree hash of node " + i, Bytes.fromHex(hashes.get(i).asText()), tree.treeHash(x));
            List<Integer> expected = new ArrayList<>();
            resolutions.get(i).forEach(n -> expected.add(n.asInt()));
            Check.equal("resolution of node " + i, expected, tree.resolution(x).stream().map(NodeIndex::value).toList());
        }
        TreeValidator.checkUniqueKeys(tree);
        TreeValidator.verifyParentHashes(tree);
        TreeValidator.verifyLeafSignatures(tree, Json.bytes(c, "group_id"));
    }
}
