package org.mlsbridge.mls.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Array arithmetic of the left-balanced binary tree of RFC 9420 Appendix C. MLS trees always
 * have a power-of-two number of leaves (§7.7 grows and truncates by halves), which keeps every
 * operation here O(1) or O(log n) with no special cases for ragged right edges.
 */
public final class TreeMath {
    private TreeMath() {
    }

    /** floor(log2(x)) for x > 0; 0 for x == 0. */
    public static int log2(int x) {
        return x == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(x);
    }

    /** The level of a node: leaves are 0, their parents 1, and so on (the count of trailing 1 bits). */
    public static int level(NodeIndex x) {
        return Integer.numberOfTrailingZeros(~x.value());
    }

    /** Number of array slots for a tree with {@code leaves} leaves. */
    public static int nodeWidth(int leaves) {
        return leaves == 0 ? 0 : 2 * (leaves - 1) + 1;
    }

    public static NodeIndex root(int leaves) {
        requireLeaves(leaves);
        return new NodeIndex((1 << log2(nodeWidth(leaves))) - 1);
    }

    public static NodeIndex left(NodeIndex x) {
        int k = level(x);
        if (k == 0) {
            throw new IllegalArgumentException(x + " is a leaf and has no children");
        }
        return new NodeIndex(x.value() ^ (1 << (k - 1)));
    }

    public static NodeIndex right(NodeIndex x) {
        int k = level(x);
        if (k == 0) {
            throw new IllegalArgumentException(x + " is a leaf and has no children");
        }
        return new NodeIndex(x.value() ^ (3 << (k - 1)));
    }

    /** The parent of {@code x} in a tree of {@code leaves} leaves; {@code x} must not be the root. */
    public static NodeIndex parent(NodeIndex x, int leaves) {
        if (x.equals(root(leaves))) {
            throw new IllegalArgumentException(x + " is the root and has no parent");
        }
        int k = level(x);
        int b = (x.value() >>> (k + 1)) & 1;
        return new NodeIndex((x.value() | (1 << k)) ^ (b << (k + 1)));
    }

    public static NodeIndex sibling(NodeIndex x, int leaves) {
        NodeIndex p = parent(x, leaves);
        return x.value() < p.value() ? right(p) : left(p);
    }

    /** Parents of {@code x} from its own parent up to and including the root (§4.1). */
    public static List<NodeIndex> directPath(NodeIndex x, int leaves) {
        NodeIndex r = root(leaves);
        List<NodeIndex> path = new ArrayList<>(log2(leaves) + 1);
        while (!x.equals(r)) {
            x = parent(x, leaves);
            path.add(x);
        }
        return path;
    }

    /** The siblings of {@code x} and of each node of its direct path except the root (§4.1). */
    public static List<NodeIndex> copath(NodeIndex x, int leaves) {
        NodeIndex r = root(leaves);
        List<NodeIndex> path = new ArrayList<>(log2(leaves) + 1);
        while (!x.equals(r)) {
            path.add(sibling(x, leaves));
            x = parent(x, leaves);
        }
        return path;
    }

    /** The lowest common ancestor of two nodes. */
    public static NodeIndex commonAncestor(NodeIndex a, NodeIndex b) {
        int x = a.value();
        int y = b.value();
        int k = 0;
        while (x != y) {
            x >>>= 1;
            y >>>= 1;
            k++;
        }
        return new NodeIndex((x << k) + (1 << k) - 1);
    }

    /** Whether {@code descendant} lies in the subtree rooted at {@code ancestor} (itself included). */
    public static boolean isInSubtree(NodeIndex ancestor, NodeIndex descendant) {
        int k = level(ancestor);
        return (descendant.value() >>> (k + 1)) == (ancestor.value() >>> (k + 1));
    }

    private static void requireLeaves(int leaves) {
        if (leaves <= 0 || Integer.bitCount(leaves) != 1) {
            throw new IllegalArgumentException("an MLS tree has a power-of-two number of leaves, not " + leaves);
        }
    }
}
