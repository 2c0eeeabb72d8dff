package org.mlsbridge.mls.tree;

/** Index of a leaf (a member position) in the ratchet tree: leaf i is node 2i (RFC 9420 §4.1). */
public record LeafIndex(int value) implements Comparable<LeafIndex> {
    public LeafIndex {
        if (value < 0) {
            throw new IllegalArgumentException("negative leaf index " + value);
        }
    }

    public static LeafIndex of(int value) {
        return new LeafIndex(value);
    }

    public NodeIndex toNode() {
        return new NodeIndex(value * 2);
    }

    @Override
    public int compareTo(LeafIndex o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "leaf " + value;
    }
}
