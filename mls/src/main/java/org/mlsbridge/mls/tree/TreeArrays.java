package org.mlsbridge.mls.tree;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;

/**
 * The array form of a ratchet tree (§12.4.3.3: nodes in array order, trailing blanks omitted),
 * to and from the linked nodes a {@link RatchetTree} keeps, with the structural check that a
 * decoded tree's unmerged leaves are consistent (§12.4.3.1).
 */
final class TreeArrays {
    private TreeArrays() {
    }

    /** The subtree at {@code index} of the tree whose array form is {@code array} (positions past its end blank). */
    static TreeNode build(Node[] array, int index) {
        Node content = index < array.length ? array[index] : null;
        if ((index & 1) == 0) {
            return TreeNode.leaf(index, (LeafNode) content);
        }
        int leftmost = index - ((1 << TreeMath.level(NodeIndex.of(index))) - 1);
        if (leftmost >= array.length) {
            return TreeNode.blank(index);
        }
        NodeIndex x = NodeIndex.of(index);
        return TreeNode.parent(index, (ParentNode) content, build(array, TreeMath.left(x).value()),
                build(array, TreeMath.right(x).value()));
    }

    /** §12.4.3.1: every unmerged leaf is a non-blank descendant, listed by each non-blank node in between. */
    static void checkUnmergedLeaves(TreeNode root, int leafCount) throws ValidationException {
        checkUnmerged(root, TreeMath.nodeWidth(leafCount), new IdentityHashMap<>());
    }

    /** {@code sets} caches each node's unmerged leaves as a set, so long hostile lists stay linear. */
    private static void checkUnmerged(TreeNode t, int nodeWidth, Map<TreeNode, Set<LeafIndex>> sets)
            throws ValidationException {
        if (t.isLeaf() || t.nonBlank == 0) {
            return;
        }
        if (t.content instanceof ParentNode p) {
            Set<LeafIndex> seen = new HashSet<>();
            for (LeafIndex l : p.unmergedLeaves()) {
                if (!seen.add(l)) {
                    throw new ValidationException("RFC 9420 §12.4.3.1: node " + t.index + " lists " + l
                            + " twice as unmerged");
                }
                long nodeValue = 2L * l.value();
                if (nodeValue >= nodeWidth || !t.contains((int) nodeValue)) {
                    throw new ValidationException("RFC 9420 §12.4.3.1: unmerged " + l + " of node " + t.index
                            + " is not a descendant of it");
                }
                int target = (int) nodeValue;
                if (t.find(target).content == null) {
                    throw new ValidationException("RFC 9420 §12.4.3.1: unmerged " + l + " of node " + t.index
                            + " is a blank leaf");
                }
                TreeNode x = target < t.index ? t.left : t.right;
                while (x.index != target) {
                    if (x.content instanceof ParentNode between
                            && !sets.computeIfAbsent(x, k -> new HashSet<>(between.unmergedLeaves())).contains(l)) {
                        throw new ValidationException("RFC 9420 §12.4.3.1: node " + x.index + " lies between " + l
                                + " and node " + t.index + " but does not list it as unmerged");
                    }
                    x = target < x.index ? x.left : x.right;
                }
            }
        }
        checkUnmerged(t.left, nodeWidth, sets);
        checkUnmerged(t.right, nodeWidth, sets);
    }

    /** The nodes under {@code root} in array order, blank ones null, without trailing blanks. */
    static Node[] toArray(TreeNode root) {
        Node[] array = new Node[lastNonBlank(root) + 1];
        fill(root, array);
        return array;
    }

    private static int lastNonBlank(TreeNode t) {
        if (t.nonBlank == 0) {
            return -1;
        }
        if (!t.isLeaf() && t.right.nonBlank > 0) {
            return lastNonBlank(t.right);
        }
        if (t.content != null) {
            return t.index;
        }
        return lastNonBlank(t.left);
    }

    private static void fill(TreeNode t, Node[] array) {
        if (t.nonBlank == 0) {
            return;
        }
        if (t.index < array.length) {
            array[t.index] = t.content;
        }
        if (!t.isLeaf()) {
            fill(t.left, array);
            fill(t.right, array);
        }
    }
}
