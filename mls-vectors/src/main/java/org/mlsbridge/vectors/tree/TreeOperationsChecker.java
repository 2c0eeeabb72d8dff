package org.mlsbridge.vectors.tree;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/** tree-operations.json: apply an Add, Update or Remove to a tree; compare the tree and its hash. */
public final class TreeOperationsChecker implements VectorChecker {
    @Override
    public String kind() {
        return "tree-operations";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "tree_before", "proposal", "proposal_sender", "tree_after");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = TreeVectors.crypto(c);
        RatchetTree before = TreeVectors.tree(crypto, c, "tree_before");
        Check.bytes("tree_before re-encoded", Json.hex(c, "tree_before"), TreeVectors.encode(before));
        Check.bytes("tree_hash_before", Json.hex(c, "tree_hash_before"), before.treeHash());
        Proposal proposal = TlsReader.decode(Json.hex(c, "proposal"), Proposal::readFrom);
        LeafIndex sender = LeafIndex.of((int) Json.number(c, "proposal_sender"));
        RatchetTree after = switch (proposal) {
            case Proposal.Add add -> before.addLeaf(add.keyPackage().leafNode()).tree();
            case Proposal.Update update -> before.updateLeaf(sender, update.leafNode());
            case Proposal.Remove remove -> before.removeLeaf(remove.removed().orElseThrow());
            default -> throw new IllegalArgumentException("no tree operation for proposal type " + proposal.type());
        };
        Check.bytes("tree_after", Json.hex(c, "tree_after"), TreeVectors.encode(after));
        Check.bytes("tree_hash_after", Json.hex(c, "tree_hash_after"), after.treeHash());
        Check.isTrue("the original tree must be unchanged", before.treeHash().equals(Json.bytes(c, "tree_hash_before")));
    }
}
