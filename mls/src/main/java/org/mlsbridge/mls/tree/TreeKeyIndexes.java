package org.mlsbridge.mls.tree;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.ParentNode;

/**
 * Who holds which key in one version of a {@link RatchetTree}, and how many members use and
 * support each credential type: what §7.3's uniqueness checks and §12.1's capability checks ask
 * for on every commit, answered in O(log n) instead of a walk over the tree.
 *
 * <p>Immutable. A changed tree gets its indexes by {@link #derive}, which visits only the nodes
 * that are not shared between the two versions (path copying), so keeping them costs
 * O(changed nodes · log n) per change.
 *
 * @param encryption node positions by encryption key (leaves and parents)
 * @param signature leaf positions by signature key
 * @param inUse members per credential type in use
 * @param supported members per credential type their capabilities list
 */
record TreeKeyIndexes(KeyIndex encryption, KeyIndex signature, Map<Integer, Integer> inUse,
        Map<Integer, Integer> supported) {

    private static final TreeKeyIndexes EMPTY = new TreeKeyIndexes(KeyIndex.EMPTY, KeyIndex.EMPTY, Map.of(), Map.of());

    /** The indexes of the tree under {@code root}, from one pass over its non-blank nodes. */
    static TreeKeyIndexes of(TreeNode root) {
        Update u = new Update(EMPTY);
        u.addAll(root);
        return u.result();
    }

    /**
     * The indexes of the tree under {@code newRoot}, given that these are the indexes of the
     * tree under {@code oldRoot} and the two share their unchanged subtrees.
     */
    TreeKeyIndexes derive(TreeNode oldRoot, TreeNode newRoot) {
        Update u = new Update(this);
        u.diffAligned(oldRoot, newRoot);
        return u.result();
    }

    /** Applies the difference between two versions of the tree to the key indexes. */
    private static final class Update {
        private KeyIndex encryption;
        private KeyIndex signature;
        private final TreeKeyIndexes from;
        /** Copied on the first leaf change: a handful of credential types, so copying is cheap. */
        private Map<Integer, Integer> inUse;
        private Map<Integer, Integer> supported;

        Update(TreeKeyIndexes from) {
            this.from = from;
            this.encryption = from.encryption();
            this.signature = from.signature();
        }

        TreeKeyIndexes result() {
            return new TreeKeyIndexes(encryption, signature, inUse == null ? from.inUse() : Map.copyOf(inUse),
                    supported == null ? from.supported() : Map.copyOf(supported));
        }

        private void count(LeafNode l, int delta) {
            if (inUse == null) {
                inUse = new HashMap<>(from.inUse());
                supported = new HashMap<>(from.supported());
            }
            inUse.merge(l.credential().type(), delta, (a, b) -> a + b == 0 ? null : a + b);
            for (int type : new HashSet<>(l.capabilities().credentials())) {
                supported.merge(type, delta, (a, b) -> a + b == 0 ? null : a + b);
            }
        }

        /** {@code a} and {@code b} are roots of two versions; a grown or shrunk tree has a different root position. */
        void diffAligned(TreeNode a, TreeNode b) {
            while (a.index != b.index) {
                if (b.index > a.index) {
                    add(b);
                    addAll(b.right);
                    b = b.left;
                } else {
                    remove(a);
                    removeAll(a.right);
                    a = a.left;
                }
            }
            diff(a, b);
        }

        /** Same position: shared subtrees (the same object) are skipped, so only copied paths cost. */
        private void diff(TreeNode a, TreeNode b) {
            if (a == b) {
                return;
            }
            if (a.content != b.content) {
                remove(a);
                add(b);
            }
            if (!a.isLeaf()) {
                diff(a.left, b.left);
                diff(a.right, b.right);
            }
        }

        void addAll(TreeNode t) {
            if (t.nonBlank == 0) {
                return;
            }
            add(t);
            if (!t.isLeaf()) {
                addAll(t.left);
                addAll(t.right);
            }
        }

        private void removeAll(TreeNode t) {
            if (t.nonBlank == 0) {
                return;
            }
            remove(t);
            if (!t.isLeaf()) {
                removeAll(t.left);
                removeAll(t.right);
            }
        }

        private void add(TreeNode t) {
            switch (t.content) {
                case null -> { }
                case LeafNode l -> {
                    encryption = encryption.with(l.encryptionKey(), t.index);
                    signature = signature.with(l.signatureKey(), t.index >>> 1);
                    count(l, 1);
                }
                case ParentNode p -> encryption = encryption.with(p.encryptionKey(), t.index);
            }
        }

        private void remove(TreeNode t) {
            switch (t.content) {
                case null -> { }
                case LeafNode l -> {
                    encryption = encryption.without(l.encryptionKey(), t.index);
                    signature = signature.without(l.signatureKey(), t.index >>> 1);
                    count(l, -1);
                }
                case ParentNode p -> encryption = encryption.without(p.encryptionKey(), t.index);
            }
        }
    }
}
