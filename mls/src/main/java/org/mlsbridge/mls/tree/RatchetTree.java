package org.mlsbridge.mls.tree;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;
import org.mlsbridge.mls.message.RatchetTreeExtension;

/**
 * The public ratchet tree of RFC 9420 §4 and §7: a left-balanced binary tree with a power-of-two
 * number of leaves, where any node may be blank.
 *
 * <p>Immutable. Every change returns a new tree that shares all untouched subtrees with this one
 * (path copying), so staging a commit on a 50,000-leaf tree copies about 17 nodes, and the tree
 * hashes cached in shared subtrees survive: re-hashing after a change costs O(log n) hashes.
 *
 * <p>Every instance keeps the structural invariants of §7.1 and §12.4.3.1 about unmerged leaves
 * (each entry is a non-blank leaf below the node, also listed by every non-blank node in
 * between), whether it was decoded ({@link #fromNodes}) or derived by an operation. Checks that
 * need cryptography (tree hash, parent hashes, signatures, key uniqueness) are
 * {@link TreeValidator}'s.
 *
 * <p>Safe to share between threads: nodes are immutable, and the lazily filled hash cache only
 * ever holds the one correct value.
 */
public final class RatchetTree {
    private final SuiteCrypto crypto;
    private final TreeNode root;
    private final int leafCount;

    /**
     * Who holds which key, built on first use and then carried along by every change at
     * O(changed nodes · log n) (see {@link #derived}). Racy single-check, like the cached
     * hashes: two threads may both build it, with equal results, and it is immutable.
     */
    private TreeKeyIndexes indexes;
    /**
     * The tree encoded as a ratchet_tree extension body, kept once made: a stored group state
     * encodes its tree, and each past epoch's, again after every message it reads, while a tree
     * changes only by a commit (into a new object). Soft, so a large tree's bytes can go under
     * memory pressure; racy single-check like the cached hashes (public data, equal results).
     */
    private SoftReference<byte[]> encodedExtension;

    private RatchetTree(SuiteCrypto crypto, TreeNode root, int leafCount) {
        this.crypto = crypto;
        this.root = root;
        this.leafCount = leafCount;
    }

    /** A tree derived from this one by path copying; inherits the key indexes when this one has them. */
    private RatchetTree derived(TreeNode newRoot, int newLeafCount) {
        RatchetTree t = new RatchetTree(crypto, newRoot, newLeafCount);
        TreeKeyIndexes mine = indexes;
        if (mine != null) {
            t.indexes = mine.derive(root, newRoot);
        }
        return t;
    }

    /** A one-member tree, as made by the creator of a group (§11). */
    public static RatchetTree create(SuiteCrypto crypto, LeafNode creator) {
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(creator, "creator");
        return new RatchetTree(crypto, TreeNode.leaf(0, creator), 1);
    }

    /**
     * The tree carried by a ratchet_tree extension (§12.4.3.3): nodes in array order, blank
     * nodes empty, trailing blanks omitted. The list is padded with blanks to the width of the
     * smallest complete tree that holds it.
     *
     * @throws ValidationException for an empty list, a list ending in a blank, a node of the
     *     wrong type for its position, or inconsistent unmerged leaves
     */
    public static RatchetTree fromNodes(SuiteCrypto crypto, List<Optional<Node>> nodes) throws ValidationException {
        Objects.requireNonNull(crypto, "crypto");
        if (nodes.isEmpty()) {
            throw new ValidationException("RFC 9420 §12.4.3.3: the ratchet tree has no nodes");
        }
        if (nodes.get(nodes.size() - 1).isEmpty()) {
            throw new ValidationException("RFC 9420 §12.4.3.3: the ratchet tree node list must not end in a blank node");
        }
        int leaves = 1;
        while (TreeMath.nodeWidth(leaves) < nodes.size()) {
            leaves <<= 1;
        }
        Node[] array = new Node[nodes.size()];
        for (int i = 0; i < array.length; i++) {
            Node n = nodes.get(i).orElse(null);
            boolean leafPosition = (i & 1) == 0;
            if (n != null && (n instanceof LeafNode) != leafPosition) {
                throw new ValidationException("RFC 9420 §12.4.3.3: node " + i + " must be a "
                        + (leafPosition ? "leaf" : "parent") + " node");
            }
            array[i] = n;
        }
        TreeNode root = TreeArrays.build(array, TreeMath.root(leaves).value());
        TreeArrays.checkUnmergedLeaves(root, leaves);
        return new RatchetTree(crypto, root, leaves);
    }

    public static RatchetTree fromExtension(SuiteCrypto crypto, RatchetTreeExtension extension)
            throws ValidationException {
        return fromNodes(crypto, extension.nodes());
    }

    // ---- reading ---------------------------------------------------------------------------

    public SuiteCrypto crypto() {
        return crypto;
    }

    public CipherSuite cipherSuite() {
        return crypto.suite();
    }

    /** Number of leaf positions (a power of two), blank ones included. */
    public int leafCount() {
        return leafCount;
    }

    /** Number of array slots, {@code 2 * leafCount() - 1}. */
    public int nodeWidth() {
        return TreeMath.nodeWidth(leafCount);
    }

    /** Number of non-blank leaves (group members). */
    public int memberCount() {
        return root.occupiedLeaves;
    }

    public NodeIndex rootIndex() {
        return NodeIndex.of(root.index);
    }

    public boolean contains(LeafIndex leaf) {
        return leaf.value() < leafCount;
    }

    private TreeNode at(NodeIndex x) {
        if (x.value() >= nodeWidth()) {
            throw new IllegalArgumentException(x + " is outside a tree of " + leafCount + " leaves");
        }
        return root.find(x.value());
    }

    /** The node at {@code x}, empty when blank. */
    public Optional<Node> node(NodeIndex x) {
        return Optional.ofNullable(at(x).content);
    }

    public boolean isBlank(NodeIndex x) {
        return at(x).content == null;
    }

    /** The leaf at {@code leaf}; empty when blank or beyond the tree's width. */
    public Optional<LeafNode> leaf(LeafIndex leaf) {
        if (!contains(leaf)) {
            return Optional.empty();
        }
        return Optional.ofNullable((LeafNode) root.find(leaf.toNode().value()).content);
    }

    /** The parent node at {@code x} (an odd index), empty when blank. */
    public Optional<ParentNode> parentNode(NodeIndex x) {
        if (x.isLeaf()) {
            throw new IllegalArgumentException(x + " is a leaf position");
        }
        return Optional.ofNullable((ParentNode) at(x).content);
    }

    /** The encryption key of a non-blank node. */
    public Bytes encryptionKey(NodeIndex x) {
        return switch (node(x).orElseThrow(() -> new IllegalArgumentException(x + " is blank"))) {
            case LeafNode l -> l.encryptionKey();
            case ParentNode p -> p.encryptionKey();
        };
    }

    /** Calls {@code action} for every non-blank leaf, left to right. */
    public void forEachLeaf(BiConsumer<LeafIndex, LeafNode> action) {
        forEachLeaf(root, action);
    }

    private static void forEachLeaf(TreeNode t, BiConsumer<LeafIndex, LeafNode> action) {
        if (t.occupiedLeaves == 0) {
            return;
        }
        if (t.isLeaf()) {
            action.accept(LeafIndex.of(t.index >>> 1), (LeafNode) t.content);
            return;
        }
        forEachLeaf(t.left, action);
        forEachLeaf(t.right, action);
    }

    /** Calls {@code action} for every non-blank node, in array order. */
    public void forEachNode(BiConsumer<NodeIndex, Node> action) {
        forEachNode(root, action);
    }

    private static void forEachNode(TreeNode t, BiConsumer<NodeIndex, Node> action) {
        if (t.nonBlank == 0) {
            return;
        }
        if (!t.isLeaf()) {
            forEachNode(t.left, action);
        }
        if (t.content != null) {
            action.accept(NodeIndex.of(t.index), t.content);
        }
        if (!t.isLeaf()) {
            forEachNode(t.right, action);
        }
    }

    /** The first non-blank leaf, left to right, that {@code test} accepts. */
    public Optional<LeafIndex> findLeaf(Predicate<LeafNode> test) {
        return Optional.ofNullable(find(root, test));
    }

    private static LeafIndex find(TreeNode t, Predicate<LeafNode> test) {
        if (t.occupiedLeaves == 0) {
            return null;
        }
        if (t.isLeaf()) {
            return test.test((LeafNode) t.content) ? LeafIndex.of(t.index >>> 1) : null;
        }
        LeafIndex found = find(t.left, test);
        return found != null ? found : find(t.right, test);
    }

    /** The non-blank leaves, in order. */
    public List<LeafIndex> members() {
        List<LeafIndex> out = new ArrayList<>(memberCount());
        forEachLeaf((i, l) -> out.add(i));
        return out;
    }

    /** The nodes in array order, blank ones empty, without trailing blanks (§12.4.3.3). */
    public List<Optional<Node>> toNodes() {
        Node[] array = TreeArrays.toArray(root);
        List<Optional<Node>> out = new ArrayList<>(array.length);
        for (Node n : array) {
            out.add(Optional.ofNullable(n));
        }
        return Collections.unmodifiableList(out);
    }

    public RatchetTreeExtension toExtension() {
        return new RatchetTreeExtension(toNodes());
    }

    /** Writes {@link #toExtension()}'s encoding, made once per tree. */
    public void writeExtensionTo(TlsWriter w) {
        w.raw(encodedExtension());
    }

    /** The length of what {@link #writeExtensionTo} writes. */
    public int extensionSize() {
        return encodedExtension().length;
    }

    private byte[] encodedExtension() {
        SoftReference<byte[]> ref = encodedExtension;
        byte[] bytes = ref == null ? null : ref.get();
        if (bytes == null) {
            TlsWriter own = new TlsWriter();
            toExtension().writeTo(own);
            bytes = own.toByteArray();
            encodedExtension = new SoftReference<>(bytes);
        }
        return bytes;
    }

    // ---- key lookups (§7.3) ----------------------------------------------------------------

    /**
     * The non-blank nodes whose encryption key is {@code key}, in array order (more than one only
     * in a tree that breaks §7.3). O(log n), after one pass over the tree the first time a tree
     * not derived from an indexed one is asked.
     */
    public List<NodeIndex> nodesWithEncryptionKey(Bytes key) {
        int[] at = indexes().encryption().get(key);
        List<NodeIndex> out = new ArrayList<>(at.length);
        for (int x : at) {
            out.add(NodeIndex.of(x));
        }
        return out;
    }

    /** The members whose leaf has signature key {@code key}, in order; cost as {@link #nodesWithEncryptionKey}. */
    public List<LeafIndex> leavesWithSignatureKey(Bytes key) {
        int[] at = indexes().signature().get(key);
        List<LeafIndex> out = new ArrayList<>(at.length);
        for (int l : at) {
            out.add(LeafIndex.of(l));
        }
        return out;
    }

    /** The number of members whose credential is of {@code type}; cost as {@link #nodesWithEncryptionKey}. */
    public int membersWithCredentialType(int type) {
        return indexes().inUse().getOrDefault(type, 0);
    }

    /** The number of members whose capabilities list credential {@code type}; cost as {@link #nodesWithEncryptionKey}. */
    public int membersSupportingCredentialType(int type) {
        return indexes().supported().getOrDefault(type, 0);
    }

    /** The credential types of the members. */
    public Set<Integer> credentialTypesInUse() {
        return indexes().inUse().keySet();
    }

    /**
     * Builds the key indexes of this tree now if they are missing, so that trees derived from it
     * inherit them incrementally instead of each building its own from scratch.
     */
    void ensureIndexes() {
        indexes();
    }

    /** Whether the key indexes are built (for tests of their inheritance). */
    boolean hasIndexes() {
        return indexes != null;
    }

    private TreeKeyIndexes indexes() {
        TreeKeyIndexes ix = indexes;
        if (ix == null) {
            ix = TreeKeyIndexes.of(root);
            indexes = ix;
        }
        return ix;
    }

    // ---- resolution and paths (§4.1, §7.5) -------------------------------------------------

    /** The resolution of {@code x} (§4.1): the non-blank nodes that cover its subtree. */
    public List<NodeIndex> resolution(NodeIndex x) {
        return resolution(x, Set.of());
    }

    /**
     * The resolution of {@code x} without the given leaves: when encrypting an UpdatePath, the
     * leaves added by the same commit are left out (§12.4.1).
     */
    public List<NodeIndex> resolution(NodeIndex x, Set<LeafIndex> excluded) {
        List<NodeIndex> out = new ArrayList<>();
        resolve(at(x), excluded, out);
        return out;
    }

    private static void resolve(TreeNode t, Set<LeafIndex> excluded, List<NodeIndex> out) {
        if (t.nonBlank == 0) {
            return;
        }
        if (t.content instanceof LeafNode) {
            if (!excluded.contains(LeafIndex.of(t.index >>> 1))) {
                out.add(NodeIndex.of(t.index));
            }
        } else if (t.content instanceof ParentNode p) {
            out.add(NodeIndex.of(t.index));
            for (LeafIndex l : p.unmergedLeaves()) {
                if (!excluded.contains(l)) {
                    out.add(l.toNode());
                }
            }
        } else {
            resolve(t.left, excluded, out);
            resolve(t.right, excluded, out);
        }
    }

    /**
     * The filtered direct path of {@code leaf} with the matching copath nodes (§4.1): the direct
     * path without the nodes whose copath child has an empty resolution, leaf to root.
     */
    public List<PathStep> filteredPath(LeafIndex leaf) {
        checkLeaf(leaf);
        NodeIndex x = leaf.toNode();
        List<PathStep> out = new ArrayList<>(TreeMath.log2(leafCount) + 1);
        for (NodeIndex c : TreeMath.copath(x, leafCount)) {
            NodeIndex p = TreeMath.parent(c, leafCount);
            if (at(c).nonBlank > 0) {
                out.add(new PathStep(p, c));
            }
        }
        return out;
    }

    /** The nodes of {@link #filteredPath}, leaf to root. */
    public List<NodeIndex> filteredDirectPath(LeafIndex leaf) {
        return filteredPath(leaf).stream().map(PathStep::node).toList();
    }

    private void checkLeaf(LeafIndex leaf) {
        if (!contains(leaf)) {
            throw new IllegalArgumentException(leaf + " is outside a tree of " + leafCount + " leaves");
        }
    }

    // ---- hashes (§7.8, §7.9) --------------------------------------------------------------

    /** The tree hash of the whole tree, as carried in the GroupContext. */
    public Bytes treeHash() {
        return root.treeHash(crypto);
    }

    /** The tree hash of the subtree rooted at {@code x}. */
    public Bytes treeHash(NodeIndex x) {
        return at(x).treeHash(crypto);
    }

    /**
     * The parent hash of non-blank parent {@code p} with copath child {@code s} (§7.9): the hash
     * of its key, its own parent_hash and the original tree hash of {@code s}, that is, with
     * {@code p}'s unmerged leaves blanked.
     */
    public Bytes parentHash(NodeIndex p, NodeIndex s) {
        ParentNode parent = parentNode(p).orElseThrow(() -> new IllegalArgumentException(p + " is blank"));
        if (!s.equals(TreeMath.left(p)) && !s.equals(TreeMath.right(p))) {
            throw new IllegalArgumentException(s + " is not a child of " + p);
        }
        int[] excluded = parent.unmergedLeaves().stream().mapToInt(LeafIndex::value).sorted().toArray();
        Bytes siblingHash = at(s).treeHashExcluding(crypto, excluded);
        TlsWriter w = new TlsWriter(3 * crypto.hashLength() + parent.encryptionKey().length() + 8);
        w.opaque(parent.encryptionKey()).opaque(parent.parentHash()).opaque(siblingHash);
        return Bytes.wrap(crypto.hash(w.toByteArray()));
    }

    // ---- changes (§7.7, §12.1) -------------------------------------------------------------

    /** A tree with a leaf added, and where it went. */
    public record Added(RatchetTree tree, LeafIndex leaf) {
    }

    /** Where {@link #addLeaf} would put a new leaf: the leftmost blank leaf, or {@code leafCount()}. */
    public LeafIndex nextFreeLeaf() {
        if (root.occupiedLeaves == leafCount) {
            return LeafIndex.of(leafCount);
        }
        TreeNode t = root;
        while (!t.isLeaf()) {
            t = t.left.occupiedLeaves < (1 << t.left.level) ? t.left : t.right;
        }
        return LeafIndex.of(t.index >>> 1);
    }

    /**
     * Adds a member (§7.7): into the leftmost blank leaf, doubling the tree first when it is
     * full; the new leaf becomes unmerged at every non-blank node above it.
     */
    public Added addLeaf(LeafNode leaf) {
        Objects.requireNonNull(leaf, "leaf");
        TreeNode r = root;
        int leaves = leafCount;
        if (r.occupiedLeaves == leaves) {
            if (leaves > (1 << 29)) {
                throw new IllegalStateException("tree cannot grow beyond 2^30 leaves");
            }
            int newRoot = 2 * leaves - 1;
            r = TreeNode.parent(newRoot, null, r, TreeNode.blank(TreeMath.right(NodeIndex.of(newRoot)).value()));
            leaves *= 2;
        }
        RatchetTree grown = new RatchetTree(crypto, r, leaves);
        LeafIndex index = grown.nextFreeLeaf();
        TreeNode added = addAlongPath(r, index, leaf);
        return new Added(derived(added, leaves), index);
    }

    private static TreeNode addAlongPath(TreeNode t, LeafIndex leaf, LeafNode content) {
        if (t.isLeaf()) {
            return TreeNode.leaf(t.index, content);
        }
        ParentNode p = (ParentNode) t.content;
        if (p != null) {
            List<LeafIndex> unmerged = new ArrayList<>(p.unmergedLeaves().size() + 1);
            unmerged.addAll(p.unmergedLeaves());
            unmerged.add(leaf);
            p = new ParentNode(p.encryptionKey(), p.parentHash(), unmerged);
        }
        int target = leaf.toNode().value();
        return target < t.index
                ? TreeNode.parent(t.index, p, addAlongPath(t.left, leaf, content), t.right)
                : TreeNode.parent(t.index, p, t.left, addAlongPath(t.right, leaf, content));
    }

    /**
     * Removes a member (§7.7): blanks the leaf and its direct path, then drops right halves
     * that hold nothing.
     *
     * @throws IllegalArgumentException when the leaf is blank or outside the tree; the group
     *     layer checks Remove proposals first (§12.2)
     */
    public RatchetTree removeLeaf(LeafIndex leaf) {
        requireMember(leaf);
        TreeNode r = replacePath(root, leaf.toNode().value(), null);
        int leaves = leafCount;
        while (leaves > 1 && r.right.nonBlank == 0) {
            r = r.left;
            leaves /= 2;
        }
        return derived(r, leaves);
    }

    /**
     * Replaces a member's leaf as an Update proposal does (§12.1.2): the new leaf goes in and
     * the leaf's direct path is blanked.
     */
    public RatchetTree updateLeaf(LeafIndex leaf, LeafNode newLeaf) {
        Objects.requireNonNull(newLeaf, "newLeaf");
        requireMember(leaf);
        return derived(replacePath(root, leaf.toNode().value(), newLeaf), leafCount);
    }

    /** Blanks the direct path of {@code leaf} and puts {@code newLeaf} (null: blank) at the leaf. */
    private static TreeNode replacePath(TreeNode t, int target, LeafNode newLeaf) {
        if (t.isLeaf()) {
            return TreeNode.leaf(t.index, newLeaf);
        }
        return target < t.index
                ? TreeNode.parent(t.index, null, replacePath(t.left, target, newLeaf), t.right)
                : TreeNode.parent(t.index, null, t.left, replacePath(t.right, target, newLeaf));
    }

    private void requireMember(LeafIndex leaf) {
        if (leaf(leaf).isEmpty()) {
            throw new IllegalArgumentException(leaf + " is not a member of the tree");
        }
    }

    /**
     * The tree after merging a committer's new path (§7.5): {@code leaf}'s direct path blanked,
     * then the given parent nodes and the new leaf set. Used by {@link TreeKem} only, which
     * gives parent nodes with empty unmerged lists, so the invariants hold.
     */
    RatchetTree withPath(LeafIndex leaf, LeafNode newLeaf, List<NodeIndex> nodes, List<ParentNode> parents) {
        TreeNode r = replacePath(root, leaf.toNode().value(), newLeaf);
        for (int i = 0; i < nodes.size(); i++) {
            r = r.with(nodes.get(i).value(), parents.get(i));
        }
        return derived(r, leafCount);
    }

    /** This tree with one parent node replaced; for {@link TreeKem} while it chains parent hashes. */
    RatchetTree withParentNode(NodeIndex x, ParentNode parent) {
        return derived(root.with(x.value(), parent), leafCount);
    }

    /** This tree with one leaf replaced, its path untouched; for {@link TreeKem}. */
    RatchetTree withLeafNode(LeafIndex leaf, LeafNode newLeaf) {
        return derived(root.with(leaf.toNode().value(), newLeaf), leafCount);
    }

    @Override
    public String toString() {
        return "RatchetTree[" + leafCount + " leaves, " + memberCount() + " members]";
    }

    /** Two trees are equal when they hold the same nodes; the suite must match too. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RatchetTree t && t.crypto.suite() == crypto.suite() && t.leafCount == leafCount
                && t.toNodes().equals(toNodes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {crypto.suite(), leafCount, memberCount()});
    }
}
