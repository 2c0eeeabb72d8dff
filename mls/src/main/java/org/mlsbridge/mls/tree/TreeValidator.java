package org.mlsbridge.mls.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;

/**
 * The checks a new member runs on a ratchet tree it did not build (RFC 9420 §12.4.3.1), as far
 * as they concern the tree itself: tree hash, parent hashes (§7.9.2), leaf signatures (§7.3) and
 * key uniqueness. The structural checks (node types, trailing blanks, unmerged leaves) already
 * ran when the tree was decoded ({@link RatchetTree#fromNodes}). Checks that need the group's
 * context (capabilities against required extensions, credentials, lifetimes) are the group
 * layer's.
 */
public final class TreeValidator {
    /** Label of the LeafNode signature (§7.2). */
    public static final String LEAF_SIGNATURE_LABEL = "LeafNodeTBS";

    private TreeValidator() {
    }

    /** All the tree checks of joining a group (§12.4.3.1). */
    public static void validate(RatchetTree tree, Bytes groupId, Bytes expectedTreeHash) throws ValidationException {
        if (!tree.treeHash().equals(expectedTreeHash)) {
            throw new ValidationException("RFC 9420 §12.4.3.1: the ratchet tree's hash does not match the "
                    + "GroupContext's tree_hash");
        }
        checkUniqueKeys(tree);
        verifyParentHashes(tree);
        verifyLeafSignatures(tree, groupId);
    }

    /** Below this many members the leaves are checked on the calling thread alone. */
    private static final int PARALLEL_FROM = 64;

    /**
     * Every leaf's signature over its LeafNodeTBS (§7.3). One signature verification per member
     * is most of what joining a large group costs, and the checks are independent, so large
     * trees use every core (the common fork-join pool; the crypto is stateless). The outcome does
     * not depend on the scheduling: the lowest failing leaf is reported.
     */
    public static void verifyLeafSignatures(RatchetTree tree, Bytes groupId) throws ValidationException {
        List<LeafNode> nodes = new ArrayList<>(tree.memberCount());
        List<LeafIndex> leaves = new ArrayList<>(tree.memberCount());
        tree.forEachLeaf((i, l) -> {
            leaves.add(i);
            nodes.add(l);
        });
        SuiteCrypto crypto = tree.crypto();
        IntStream indices = IntStream.range(0, leaves.size());
        if (leaves.size() >= PARALLEL_FROM) {
            indices = indices.parallel();
        }
        OptionalInt bad = indices.filter(i -> !signatureVerifies(crypto, nodes.get(i), groupId, leaves.get(i))).min();
        if (bad.isPresent()) {
            int i = bad.getAsInt();
            verifyLeafSignature(crypto, nodes.get(i), groupId, leaves.get(i));
            throw new IllegalStateException("the signature of " + leaves.get(i) + " verified on the second try");
        }
    }

    private static boolean signatureVerifies(SuiteCrypto crypto, LeafNode node, Bytes groupId, LeafIndex leaf) {
        try {
            verifyLeafSignature(crypto, node, groupId, leaf);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    /** One leaf's signature; {@code groupId} and {@code leaf} matter for update and commit leaves only. */
    public static void verifyLeafSignature(SuiteCrypto crypto, LeafNode node, Bytes groupId, LeafIndex leaf)
            throws ValidationException {
        boolean ok;
        try {
            ok = crypto.verifyWithLabel(node.signatureKey(), LEAF_SIGNATURE_LABEL, node.toBeSigned(groupId, leaf),
                    node.signature().toByteArray());
        } catch (CryptoException e) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §7.3: " + leaf + " has an unusable signature key", e);
        }
        if (!ok) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §7.3: the signature of " + leaf + " does not verify");
        }
    }

    /**
     * No encryption key appears twice in the tree, and no signature key twice among the leaves
     * (§7.3, §12.4.3.1).
     */
    public static void checkUniqueKeys(RatchetTree tree) throws ValidationException {
        Map<Bytes, NodeIndex> encryptionKeys = new HashMap<>();
        Map<Bytes, NodeIndex> signatureKeys = new HashMap<>();
        List<String> problems = new ArrayList<>(1);
        tree.forEachNode((x, node) -> {
            if (!problems.isEmpty()) {
                return;
            }
            Bytes key = switch (node) {
                case LeafNode l -> l.encryptionKey();
                case ParentNode p -> p.encryptionKey();
            };
            NodeIndex earlier = encryptionKeys.putIfAbsent(key, x);
            if (earlier != null) {
                problems.add("RFC 9420 §12.4.3.1: " + earlier + " and " + x + " have the same encryption key");
                return;
            }
            if (node instanceof LeafNode l) {
                earlier = signatureKeys.putIfAbsent(l.signatureKey(), x);
                if (earlier != null) {
                    problems.add("RFC 9420 §7.3: " + earlier + " and " + x + " have the same signature key");
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new ValidationException(problems.get(0));
        }
    }

    /**
     * Every non-blank parent node is parent-hash valid (§7.9.2), checked top-down: exactly one
     * descendant's parent_hash must be valid with respect to it.
     */
    public static void verifyParentHashes(RatchetTree tree) throws ValidationException {
        List<NodeIndex> parents = new ArrayList<>();
        tree.forEachNode((x, node) -> {
            if (node instanceof ParentNode) {
                parents.add(x);
            }
        });
        for (NodeIndex p : parents) {
            int valid = validDescendants(tree, p);
            if (valid != 1) {
                throw new ValidationException("RFC 9420 §7.9.2: parent " + p + " is not parent-hash valid ("
                        + valid + " descendants chain to it, expected exactly one)");
            }
        }
    }

    /** The number of descendants D of {@code p} whose parent hash is valid with respect to it (up to 2). */
    private static int validDescendants(RatchetTree tree, NodeIndex p) {
        ParentNode parent = tree.parentNode(p).orElseThrow();
        NodeIndex left = TreeMath.left(p);
        NodeIndex right = TreeMath.right(p);
        int count = 0;
        for (int side = 0; side < 2 && count < 2; side++) {
            NodeIndex c = side == 0 ? left : right;
            NodeIndex s = side == 0 ? right : left;
            List<NodeIndex> resolution = tree.resolution(c);
            Set<NodeIndex> unmergedUnderC = new HashSet<>();
            for (LeafIndex l : parent.unmergedLeaves()) {
                if (TreeMath.isInSubtree(c, l.toNode())) {
                    unmergedUnderC.add(l.toNode());
                }
            }
            // The resolution of C minus D must be exactly P's unmerged leaves below C.
            if (resolution.size() != unmergedUnderC.size() + 1) {
                continue;
            }
            Bytes expected = null;
            for (NodeIndex d : resolution) {
                Optional<Bytes> stored = storedParentHash(tree, d);
                if (stored.isEmpty()) {
                    continue;
                }
                if (expected == null) {
                    expected = tree.parentHash(p, s);
                }
                if (!stored.get().equals(expected)) {
                    continue;
                }
                boolean restUnmerged = true;
                for (NodeIndex other : resolution) {
                    if (!other.equals(d) && !unmergedUnderC.contains(other)) {
                        restUnmerged = false;
                        break;
                    }
                }
                if (restUnmerged && ++count > 1) {
                    break;
                }
            }
        }
        return count;
    }

    private static Optional<Bytes> storedParentHash(RatchetTree tree, NodeIndex d) {
        Node node = tree.node(d).orElseThrow();
        return switch (node) {
            case LeafNode l -> l.parentHash();
            case ParentNode p -> Optional.of(p.parentHash());
        };
    }
}
