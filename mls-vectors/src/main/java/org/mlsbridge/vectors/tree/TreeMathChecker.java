package org.mlsbridge.vectors.tree;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.TreeMath;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/** tree-math.json: root, left, right, parent and sibling of every node for each tree size. */
public final class TreeMathChecker implements VectorChecker {
    @Override
    public String kind() {
        return "tree-math";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "n_leaves", "n_nodes", "root", "left", "right", "parent", "sibling");
    }

    @Override
    public void check(JsonNode c) {
        int leaves = (int) Json.number(c, "n_leaves");
        int nodes = (int) Json.number(c, "n_nodes");
        Check.equal("n_nodes", nodes, TreeMath.nodeWidth(leaves));
        Check.equal("root", (int) Json.number(c, "root"), TreeMath.root(leaves).value());
        for (int i = 0; i < nodes; i++) {
            NodeIndex x = NodeIndex.of(i);
            boolean leaf = x.isLeaf();
            boolean isRoot = x.equals(TreeMath.root(leaves));
            expect(c, "left", i, leaf ? null : TreeMath.left(x).value());
            expect(c, "right", i, leaf ? null : TreeMath.right(x).value());
            expect(c, "parent", i, isRoot ? null : TreeMath.parent(x, leaves).value());
            expect(c, "sibling", i, isRoot ? null : TreeMath.sibling(x, leaves).value());
        }
    }

    private static void expect(JsonNode c, String field, int i, Integer actual) {
        JsonNode e = Json.field(c, field).get(i);
        Integer expected = e == null || e.isNull() ? null : e.asInt();
        Check.equal(field + "[" + i + "]", expected, actual);
    }
}
