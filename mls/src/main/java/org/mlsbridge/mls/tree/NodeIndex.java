package org.mlsbridge.mls.tree;

/** Index of a node in the array representation of the ratchet tree (RFC 9420 Appendix C). */
public record NodeIndex(int value) implements Comparable<NodeIndex> {
    public NodeIndex {
        if (value < 0) {
            throw new IllegalArgumentException("negative node index " + value);
        }
    }

    public static NodeIndex of(int value) {
        return new NodeIndex(value);
    }

    public boolean isLeaf() {
        return (value & 1) == 0;
    }

    /** The leaf this node is; only for even indices. */
    public LeafIndex toLeaf() {
        if (!isLeaf()) {
            throw new IllegalStateException("node " + value + " is not a leaf");
        }
        return new LeafIndex(value >>> 1);
    }

    @Override
    public int compareTo(NodeIndex o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "node " + value;
    }
}
