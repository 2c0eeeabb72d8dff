package org.mlsbridge.mls.tree;

import java.util.Arrays;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A persistent multimap from public keys to the node positions that hold them: a hash array
 * mapped trie, so that a new version differs from the old one by about log32(n) copied nodes
 * per change and shares everything else. {@link RatchetTree} keeps one for encryption keys and
 * one for signature keys, updated with each change, so that "is this key already in the tree?"
 * (§7.3, §12.4.2) costs O(log n) instead of a pass over the tree.
 *
 * <p>Positions per key are a small sorted array: a hostile tree may hold a key twice, and the
 * index must still say so after one of the two goes.
 */
final class KeyIndex {
    static final KeyIndex EMPTY = new KeyIndex(new Branch(0, new Object[0]), 0);

    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final int[] NONE = new int[0];

    private final Branch root;
    private final int size;

    private KeyIndex(Branch root, int size) {
        this.root = root;
        this.size = size;
    }

    /** Number of (key, position) pairs. */
    int size() {
        return size;
    }

    /** The positions holding {@code key}, ascending; empty when none. */
    int[] get(Bytes key) {
        int h = hash(key);
        Object node = root;
        for (int shift = 0; ; shift += BITS) {
            if (node instanceof Branch b) {
                int bit = 1 << ((h >>> shift) & MASK);
                if ((b.bitmap & bit) == 0) {
                    return NONE;
                }
                node = b.children[Integer.bitCount(b.bitmap & (bit - 1))];
            } else {
                for (Entry e = (Entry) node; e != null; e = e.next) {
                    if (e.key.equals(key)) {
                        return e.positions.clone();
                    }
                }
                return NONE;
            }
        }
    }

    KeyIndex with(Bytes key, int position) {
        return new KeyIndex(put(root, key, hash(key), 0, position), size + 1);
    }

    /** Unchanged when the pair is absent. */
    KeyIndex without(Bytes key, int position) {
        Branch r = remove(root, key, hash(key), 0, position);
        return r == root ? this : new KeyIndex(r, size - 1);
    }

    private static int hash(Bytes key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    /** An inner node: one child per set bit of {@code bitmap}, in bit order. */
    private record Branch(int bitmap, Object[] children) {
    }

    /**
     * A key and its positions; {@code next} chains keys whose hashes agree on every bit used
     * (leaves of the trie, at most 7 levels down for 32-bit hashes).
     */
    private record Entry(Bytes key, int[] positions, Entry next) {
    }

    private static Branch put(Branch b, Bytes key, int h, int shift, int position) {
        int bit = 1 << ((h >>> shift) & MASK);
        int i = Integer.bitCount(b.bitmap & (bit - 1));
        if ((b.bitmap & bit) == 0) {
            Object[] children = new Object[b.children.length + 1];
            System.arraycopy(b.children, 0, children, 0, i);
            children[i] = new Entry(key, new int[] {position}, null);
            System.arraycopy(b.children, i, children, i + 1, b.children.length - i);
            return new Branch(b.bitmap | bit, children);
        }
        Object child = b.children[i];
        Object replaced;
        if (child instanceof Branch c) {
            replaced = put(c, key, h, shift + BITS, position);
        } else {
            Entry e = (Entry) child;
            if (shift + BITS >= 32 || chainHas(e, key)) {
                replaced = addToChain(e, key, position);
            } else {
                // Split the leaf: push the existing entry one level down, then insert.
                int eh = hash(e.key);
                Branch split = new Branch(1 << ((eh >>> (shift + BITS)) & MASK), new Object[] {e});
                replaced = put(split, key, h, shift + BITS, position);
            }
        }
        Object[] children = b.children.clone();
        children[i] = replaced;
        return new Branch(b.bitmap, children);
    }

    private static boolean chainHas(Entry e, Bytes key) {
        for (; e != null; e = e.next) {
            if (e.key.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static Entry addToChain(Entry e, Bytes key, int position) {
        if (e == null) {
            return new Entry(key, new int[] {position}, null);
        }
        if (e.key.equals(key)) {
            int[] p = Arrays.copyOf(e.positions, e.positions.length + 1);
            p[p.length - 1] = position;
            Arrays.sort(p);
            return new Entry(key, p, e.next);
        }
        return new Entry(e.key, e.positions, addToChain(e.next, key, position));
    }

    private static Branch remove(Branch b, Bytes key, int h, int shift, int position) {
        int bit = 1 << ((h >>> shift) & MASK);
        if ((b.bitmap & bit) == 0) {
            return b;
        }
        int i = Integer.bitCount(b.bitmap & (bit - 1));
        Object child = b.children[i];
        Object replaced;
        if (child instanceof Branch c) {
            Branch r = remove(c, key, h, shift + BITS, position);
            if (r == c) {
                return b;
            }
            replaced = r.bitmap == 0 ? null : r;
        } else {
            Entry e = (Entry) child;
            Entry r = removeFromChain(e, key, position);
            if (r == e) {
                return b;
            }
            replaced = r;
        }
        if (replaced == null) {
            Object[] children = new Object[b.children.length - 1];
            System.arraycopy(b.children, 0, children, 0, i);
            System.arraycopy(b.children, i + 1, children, i, b.children.length - i - 1);
            return new Branch(b.bitmap & ~bit, children);
        }
        Object[] children = b.children.clone();
        children[i] = replaced;
        return new Branch(b.bitmap, children);
    }

    /** The chain without the pair; the same object when absent; null when nothing is left. */
    private static Entry removeFromChain(Entry e, Bytes key, int position) {
        if (e == null) {
            return null;
        }
        if (!e.key.equals(key)) {
            Entry rest = removeFromChain(e.next, key, position);
            return rest == e.next ? e : new Entry(e.key, e.positions, rest);
        }
        int at = Arrays.binarySearch(e.positions, position);
        if (at < 0) {
            return e;
        }
        if (e.positions.length == 1) {
            return e.next;
        }
        int[] p = new int[e.positions.length - 1];
        System.arraycopy(e.positions, 0, p, 0, at);
        System.arraycopy(e.positions, at + 1, p, at, p.length - at);
        return new Entry(key, p, e.next);
    }
}
