package org.mlsbridge.mls.tree;

import java.util.Arrays;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;

/**
 * One immutable node of the persistent ratchet tree: its content (null when blank) and, for
 * parents, its two subtrees. A change copies only the path from the root to the changed node and
 * shares every other subtree, so a staged tree costs O(log n) to derive, and the tree hashes
 * cached in the shared subtrees stay valid: after a change only the copied path is re-hashed.
 *
 * <p>A node always sits at one position (its {@code index}); subtrees are never shared between
 * positions, which is what makes caching the position-dependent leaf hashes sound.
 */
final class TreeNode {
    final int index;
    final int level;
    /** LeafNode at level 0, ParentNode above; null when blank. */
    final Node content;
    final TreeNode left;
    final TreeNode right;
    /** Non-blank nodes in this subtree, this node included. */
    final int nonBlank;
    /** Non-blank leaves in this subtree. */
    final int occupiedLeaves;

    /**
     * Tree hash of this subtree (RFC 9420 §7.8), computed on first use. Racy single-check: two
     * threads may both compute it, with equal results, and Bytes is safely published.
     */
    private Bytes hash;

    private TreeNode(int index, int level, Node content, TreeNode left, TreeNode right) {
        this.index = index;
        this.level = level;
        this.content = content;
        this.left = left;
        this.right = right;
        int count = content == null ? 0 : 1;
        int leaves = level == 0 ? count : 0;
        if (left != null) {
            count += left.nonBlank + right.nonBlank;
            leaves = left.occupiedLeaves + right.occupiedLeaves;
        }
        this.nonBlank = count;
        this.occupiedLeaves = leaves;
    }

    static TreeNode leaf(int index, LeafNode content) {
        return new TreeNode(index, 0, content, null, null);
    }

    static TreeNode parent(int index, ParentNode content, TreeNode left, TreeNode right) {
        return new TreeNode(index, TreeMath.level(NodeIndex.of(index)), content, left, right);
    }

    /** An all-blank subtree rooted at {@code index}. */
    static TreeNode blank(int index) {
        int level = TreeMath.level(NodeIndex.of(index));
        if (level == 0) {
            return leaf(index, null);
        }
        NodeIndex x = NodeIndex.of(index);
        return parent(index, null, blank(TreeMath.left(x).value()), blank(TreeMath.right(x).value()));
    }

    boolean isLeaf() {
        return level == 0;
    }

    /** Whether node {@code x} lies in this subtree. */
    boolean contains(int x) {
        return (x >>> (level + 1)) == (index >>> (level + 1));
    }

    /** The node at {@code x}, which must lie in this subtree. */
    TreeNode find(int x) {
        TreeNode t = this;
        while (t.index != x) {
            t = x < t.index ? t.left : t.right;
        }
        return t;
    }

    /** A copy of this subtree with node {@code x} holding {@code newContent}; other subtrees are shared. */
    TreeNode with(int x, Node newContent) {
        if (index == x) {
            return isLeaf() ? leaf(index, (LeafNode) newContent) : parent(index, (ParentNode) newContent, left, right);
        }
        if (x < index) {
            return parent(index, (ParentNode) content, left.with(x, newContent), right);
        }
        return parent(index, (ParentNode) content, left, right.with(x, newContent));
    }

    Bytes treeHash(SuiteCrypto crypto) {
        Bytes h = hash;
        if (h == null) {
            h = isLeaf() ? leafHash(crypto, index, (LeafNode) content)
                    : parentHashInput(crypto, (ParentNode) content, left.treeHash(crypto), right.treeHash(crypto));
            hash = h;
        }
        return h;
    }

    /**
     * The tree hash of this subtree as if every leaf in {@code excluded} (sorted leaf indices)
     * were blank and removed from all unmerged_leaves lists: the "original sibling tree hash" of
     * RFC 9420 §7.9. Subtrees holding none of the excluded leaves reuse their cached hash, so the
     * cost is O(|excluded| log n) hashes, and lookups are binary searches so that a hostile tree
     * with long unmerged lists cannot make this quadratic.
     */
    Bytes treeHashExcluding(SuiteCrypto crypto, int[] excluded) {
        if (!containsAnyLeaf(excluded)) {
            return treeHash(crypto);
        }
        if (isLeaf()) {
            return leafHash(crypto, index, null);
        }
        ParentNode p = (ParentNode) content;
        if (p != null) {
            p = new ParentNode(p.encryptionKey(), p.parentHash(),
                    p.unmergedLeaves().stream().filter(l -> Arrays.binarySearch(excluded, l.value()) < 0).toList());
        }
        return parentHashInput(crypto, p, left.treeHashExcluding(crypto, excluded),
                right.treeHashExcluding(crypto, excluded));
    }

    /** Whether a leaf of {@code sortedLeaves} lies in this subtree. */
    private boolean containsAnyLeaf(int[] sortedLeaves) {
        int firstLeaf = (index - ((1 << level) - 1)) >>> 1;
        int lastLeaf = firstLeaf + (1 << level) - 1;
        int i = Arrays.binarySearch(sortedLeaves, firstLeaf);
        if (i >= 0) {
            return true;
        }
        int insertion = -i - 1;
        return insertion < sortedLeaves.length && sortedLeaves[insertion] <= lastLeaf;
    }

    private static final int LEAF_TYPE = 1;
    private static final int PARENT_TYPE = 2;

    /** Hash of a TreeHashInput holding a LeafNodeHashInput (§7.8). */
    private static Bytes leafHash(SuiteCrypto crypto, int nodeIndex, LeafNode leaf) {
        TlsWriter w = new TlsWriter(leaf == null ? 8 : 512);
        w.uint8(LEAF_TYPE).uint32(nodeIndex >>> 1);
        if (leaf == null) {
            w.uint8(0);
        } else {
            w.uint8(1);
            leaf.writeTo(w);
        }
        return Bytes.wrap(crypto.hash(w.toByteArray()));
    }

    /** Hash of a TreeHashInput holding a ParentNodeHashInput (§7.8). */
    private static Bytes parentHashInput(SuiteCrypto crypto, ParentNode parent, Bytes leftHash, Bytes rightHash) {
        TlsWriter w = new TlsWriter(parent == null ? 2 + 2 * (leftHash.length() + 1) : 256);
        w.uint8(PARENT_TYPE);
        if (parent == null) {
            w.uint8(0);
        } else {
            w.uint8(1);
            parent.writeTo(w);
        }
        w.opaque(leftHash).opaque(rightHash);
        return Bytes.wrap(crypto.hash(w.toByteArray()));
    }
}
