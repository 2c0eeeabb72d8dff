package org.mlsbridge.mls.tree;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.ParentNode;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.UpdatePathNode;

/**
 * TreeKEM (RFC 9420 §7.4–§7.6): making an UpdatePath as committer, and merging and decrypting
 * one as receiver. Stateless; the public tree and each member's {@link TreePrivateKeys} are
 * values passed in and returned, so that nothing changes until the group layer merges a staged
 * commit.
 *
 * <p>Receiving takes two steps because the decryption context is the provisional GroupContext,
 * whose tree hash is that of the tree after the path is merged: first {@link #mergePath}, then
 * (once the caller has built the GroupContext) {@link #decryptPath}.
 */
public final class TreeKem {
    /** Label of the path secret encryption (EncryptWithLabel, §7.6). */
    public static final String ENCRYPTION_LABEL = "UpdatePathNode";

    private TreeKem() {
    }

    // ---- committer -------------------------------------------------------------------------

    /** {@link #preparePath(RatchetTree, LeafIndex, HpkeKeyPair, Secret, LeafNodeSigner)} with fresh randomness. */
    public static PreparedPath preparePath(RatchetTree tree, LeafIndex sender, SecureRandom random,
            LeafNodeSigner signer) throws MlsException {
        SuiteCrypto crypto = tree.crypto();
        byte[] first = new byte[crypto.hashLength()];
        random.nextBytes(first);
        return preparePath(tree, sender, crypto.generateHpkeKeyPair(), Secret.wrap(first), signer);
    }

    /**
     * Chooses the committer's new keys and merges them into the tree (§7.5): a new leaf key,
     * path secrets up the filtered direct path starting from {@code firstPathSecret}, node key
     * pairs derived from them, and the parent hash chain from the root down to the new leaf,
     * which {@code signer} then signs.
     *
     * @param tree the tree after the commit's proposals are applied
     */
    public static PreparedPath preparePath(RatchetTree tree, LeafIndex sender, HpkeKeyPair leafKey,
            Secret firstPathSecret, LeafNodeSigner signer) throws MlsException {
        Objects.requireNonNull(signer, "signer");
        if (tree.leaf(sender).isEmpty()) {
            throw new IllegalArgumentException(sender + " is not a member of the tree");
        }
        SuiteCrypto crypto = tree.crypto();
        List<PathStep> steps = tree.filteredPath(sender);
        List<Secret> secrets = new ArrayList<>(steps.size());
        List<Bytes> keys = new ArrayList<>(steps.size());
        Map<NodeIndex, HpkeKeyPair> pairs = new HashMap<>();
        byte[] pathSecret = firstPathSecret.copy();
        for (int i = 0; i < steps.size(); i++) {
            if (i > 0) {
                pathSecret = nextPathSecret(crypto, pathSecret);
            }
            secrets.add(Secret.of(pathSecret));
            HpkeKeyPair pair = nodeKeyPair(crypto, pathSecret);
            pairs.put(steps.get(i).node(), pair);
            keys.add(pair.publicKey());
        }
        Secret commitSecret = Secret.wrap(nextPathSecret(crypto, pathSecret));
        Arrays.fill(pathSecret, (byte) 0);

        Chain chain = chainParentHashes(tree, sender, steps, keys);
        LeafNode leaf = signer.sign(leafKey.publicKey(), chain.leafParentHash());
        if (leaf.source() != LeafNodeSource.COMMIT || !leaf.parentHash().orElseThrow().equals(chain.leafParentHash())
                || !leaf.encryptionKey().equals(leafKey.publicKey())) {
            throw new IllegalStateException("the signer must keep the given encryption key and parent hash");
        }
        RatchetTree merged = chain.tree().withLeafNode(sender, leaf);
        pairs.put(sender.toNode(), leafKey);
        TreePrivateKeys privateKeys = TreePrivateKeys.empty().withAll(pairs);
        return new PreparedPath(merged, sender, leaf, steps, secrets, privateKeys, commitSecret);
    }

    /**
     * A signer for the usual case: the committer's current leaf with the new encryption key and
     * parent hash, source commit, signed over its LeafNodeTBS (§7.2).
     */
    public static LeafNodeSigner resigning(SuiteCrypto crypto, LeafNode current, Secret signaturePrivateKey,
            Bytes groupId, LeafIndex leaf) {
        return (encryptionKey, parentHash) -> {
            LeafNode unsigned = new LeafNode(encryptionKey, current.signatureKey(), current.credential(),
                    current.capabilities(), LeafNodeSource.COMMIT, Optional.empty(), Optional.of(parentHash),
                    current.extensions(), Bytes.EMPTY);
            byte[] signature = crypto.signWithLabel(signaturePrivateKey, TreeValidator.LEAF_SIGNATURE_LABEL,
                    unsigned.toBeSigned(groupId, leaf));
            return unsigned.withSignature(Bytes.wrap(signature));
        };
    }

    // ---- receiver --------------------------------------------------------------------------

    /**
     * Merges someone's UpdatePath into the tree (§7.5, §12.4.2): blanks the sender's direct
     * path, sets the new public keys on its filtered direct path and the new leaf, and checks
     * the parent hash the sender signed in that leaf, and that no new key is already in use.
     * The leaf's signature (see the overload taking the group id) and the rest of §7.3 are the
     * group layer's to check, since they need the group's context.
     *
     * @param tree the tree after the commit's proposals are applied; for an external commit,
     *     with the joiner's leaf already added where {@link RatchetTree#addLeaf} puts it
     */
    public static RatchetTree mergePath(RatchetTree tree, LeafIndex sender, UpdatePath path)
            throws ValidationException {
        if (tree.leaf(sender).isEmpty()) {
            throw new ValidationException("RFC 9420 §12.4.2: the committer " + sender + " is not in the tree");
        }
        List<PathStep> steps = tree.filteredPath(sender);
        if (path.nodes().size() != steps.size()) {
            throw new ValidationException("RFC 9420 §12.4.2: the UpdatePath has " + path.nodes().size()
                    + " nodes but the committer's filtered direct path has " + steps.size());
        }
        LeafNode leaf = path.leafNode();
        if (leaf.source() != LeafNodeSource.COMMIT) {
            throw new ValidationException("RFC 9420 §7.3: the UpdatePath leaf must have leaf_node_source commit");
        }
        List<Bytes> keys = path.nodes().stream().map(UpdatePathNode::encryptionKey).toList();
        // Index the base tree first: the merged tree then inherits the key indexes at O(log n)
        // instead of building its own over all nodes (which every later commit would repeat).
        tree.ensureIndexes();
        Chain chain = chainParentHashes(tree, sender, steps, keys);
        if (!leaf.parentHash().orElseThrow().equals(chain.leafParentHash())) {
            throw new ValidationException("RFC 9420 §7.9.2: the committer's leaf does not carry the parent hash "
                    + "of its new path");
        }
        RatchetTree merged = chain.tree().withLeafNode(sender, leaf);
        checkNewKeysUnique(merged, sender, leaf, steps, keys);
        return merged;
    }

    /**
     * {@link #mergePath(RatchetTree, LeafIndex, UpdatePath)} after checking the new leaf's
     * signature, which binds the group and the leaf position (§7.3).
     */
    public static RatchetTree mergePath(RatchetTree tree, LeafIndex sender, UpdatePath path, Bytes groupId)
            throws ValidationException {
        TreeValidator.verifyLeafSignature(tree.crypto(), path.leafNode(), groupId, sender);
        return mergePath(tree, sender, path);
    }

    /**
     * Decrypts the path secret meant for {@code me} and derives the keys above it (§12.4.2):
     * finds the step whose copath child covers {@code me}, opens the ciphertext for the node of
     * its resolution that {@code mine} holds a key for, then derives every path secret up to
     * the root, checking each derived public key against the merged tree.
     *
     * @param merged the tree returned by {@link #mergePath}
     * @param groupContext the serialized provisional GroupContext
     * @param excluded the leaves added by the same commit, left out of every resolution
     */
    public static ReceivedPath decryptPath(RatchetTree merged, LeafIndex sender, UpdatePath path, LeafIndex me,
            TreePrivateKeys mine, byte[] groupContext, Set<LeafIndex> excluded) throws MlsException {
        if (me.equals(sender)) {
            throw new IllegalArgumentException("the committer does not decrypt its own path");
        }
        List<PathStep> steps = merged.filteredPath(sender);
        if (path.nodes().size() != steps.size()) {
            throw new ValidationException("RFC 9420 §12.4.2: the UpdatePath has " + path.nodes().size()
                    + " nodes but the committer's filtered direct path has " + steps.size());
        }
        int i = stepCovering(steps, me);
        PathStep step = steps.get(i);
        List<NodeIndex> resolution = merged.resolution(step.copathChild(), excluded);
        List<HpkeCiphertext> cts = path.nodes().get(i).encryptedPathSecret();
        if (cts.size() != resolution.size()) {
            throw new ValidationException("RFC 9420 §12.4.2: UpdatePath node " + i + " has " + cts.size()
                    + " ciphertexts for a resolution of " + resolution.size() + " nodes");
        }
        SuiteCrypto crypto = merged.crypto();
        for (int j = 0; j < resolution.size(); j++) {
            NodeIndex r = resolution.get(j);
            Optional<HpkeKeyPair> pair = mine.get(r);
            if (pair.isEmpty() || !pair.get().publicKey().equals(merged.encryptionKey(r))) {
                continue;
            }
            byte[] secret = crypto.decryptWithLabel(pair.get().privateKey(), ENCRYPTION_LABEL, groupContext,
                    cts.get(j));
            if (secret.length != crypto.hashLength()) {
                throw new ValidationException("RFC 9420 §7.4: a path secret must be " + crypto.hashLength()
                        + " bytes, got " + secret.length);
            }
            return deriveFrom(merged, steps, i, Secret.wrap(secret), mine);
        }
        throw new ValidationException("RFC 9420 §12.4.2: no private key for any node of the resolution of "
                + step.copathChild() + " (" + me + " cannot decrypt the path)");
    }

    /**
     * A new member's keys from the path secret in its Welcome (§12.4.3.1): derived from the
     * lowest node of the committer's filtered direct path above {@code me} up to the root.
     */
    public static ReceivedPath fromPathSecret(RatchetTree tree, LeafIndex sender, LeafIndex me, Secret pathSecret,
            TreePrivateKeys mine) throws ValidationException {
        if (me.equals(sender)) {
            throw new IllegalArgumentException("the committer does not receive a path secret");
        }
        List<PathStep> steps = tree.filteredPath(sender);
        return deriveFrom(tree, steps, stepCovering(steps, me), pathSecret, mine);
    }

    /**
     * The key pairs for the nodes where the given path secrets sit (a member's stored state,
     * as in the treekem test vectors), each checked against the tree's public key.
     */
    public static TreePrivateKeys keysFromPathSecrets(RatchetTree tree, Map<NodeIndex, Secret> pathSecrets,
            TreePrivateKeys base) throws ValidationException {
        Map<NodeIndex, HpkeKeyPair> derived = new HashMap<>();
        for (Map.Entry<NodeIndex, Secret> e : pathSecrets.entrySet()) {
            byte[] secret = e.getValue().copy();
            HpkeKeyPair pair = nodeKeyPair(tree.crypto(), secret);
            Arrays.fill(secret, (byte) 0);
            checkPublicKey(tree, e.getKey(), pair);
            derived.put(e.getKey(), pair);
        }
        return base.withAll(derived);
    }

    /**
     * The new keys are fresh (§7.3, §12.4.2): no encryption key twice in the path, none equal
     * to a key elsewhere in the tree, and the leaf's signature key used by no other member.
     * Looked up in the tree's key indexes, O(log n) per key; when several nodes clash, the
     * first in array order is named.
     */
    private static void checkNewKeysUnique(RatchetTree merged, LeafIndex sender, LeafNode leaf, List<PathStep> steps,
            List<Bytes> keys) throws ValidationException {
        Set<Bytes> fresh = new LinkedHashSet<>();
        Set<NodeIndex> own = new HashSet<>();
        own.add(sender.toNode());
        fresh.add(leaf.encryptionKey());
        for (int i = 0; i < keys.size(); i++) {
            own.add(steps.get(i).node());
            if (!fresh.add(keys.get(i))) {
                throw new ValidationException("RFC 9420 §12.4.2: the UpdatePath uses an encryption key twice");
            }
        }
        NodeIndex encClash = null;
        for (Bytes key : fresh) {
            for (NodeIndex x : merged.nodesWithEncryptionKey(key)) {
                if (!own.contains(x) && (encClash == null || x.value() < encClash.value())) {
                    encClash = x;
                }
            }
        }
        NodeIndex sigClash = null;
        for (LeafIndex l : merged.leavesWithSignatureKey(leaf.signatureKey())) {
            if (!own.contains(l.toNode()) && (sigClash == null || l.toNode().value() < sigClash.value())) {
                sigClash = l.toNode();
            }
        }
        if (encClash != null && (sigClash == null || encClash.value() <= sigClash.value())) {
            throw new ValidationException("RFC 9420 §7.3: the UpdatePath reuses the encryption key of " + encClash
                    + " (same encryption key)");
        }
        if (sigClash != null) {
            throw new ValidationException("RFC 9420 §7.3: the committer's new leaf has the signature key of "
                    + sigClash);
        }
    }

    private static int stepCovering(List<PathStep> steps, LeafIndex me) throws ValidationException {
        for (int i = 0; i < steps.size(); i++) {
            if (TreeMath.isInSubtree(steps.get(i).copathChild(), me.toNode())) {
                return i;
            }
        }
        throw new ValidationException("RFC 9420 §12.4.2: " + me + " is under no node of the committer's filtered "
                + "direct path");
    }

    private static ReceivedPath deriveFrom(RatchetTree tree, List<PathStep> steps, int start, Secret first,
            TreePrivateKeys mine) throws ValidationException {
        SuiteCrypto crypto = tree.crypto();
        Map<NodeIndex, HpkeKeyPair> derived = new HashMap<>();
        byte[] pathSecret = first.copy();
        for (int m = start; m < steps.size(); m++) {
            if (m > start) {
                pathSecret = nextPathSecret(crypto, pathSecret);
            }
            HpkeKeyPair pair = nodeKeyPair(crypto, pathSecret);
            checkPublicKey(tree, steps.get(m).node(), pair);
            derived.put(steps.get(m).node(), pair);
        }
        Secret commitSecret = Secret.wrap(nextPathSecret(crypto, pathSecret));
        Arrays.fill(pathSecret, (byte) 0);
        TreePrivateKeys keys = mine.retainMatching(tree).withAll(derived);
        return new ReceivedPath(keys, first, steps.get(start).node(), commitSecret);
    }

    private static void checkPublicKey(RatchetTree tree, NodeIndex node, HpkeKeyPair derived)
            throws ValidationException {
        Optional<Bytes> actual = tree.node(node).map(n -> tree.encryptionKey(node));
        if (actual.isEmpty() || !actual.get().equals(derived.publicKey())) {
            throw new ValidationException("RFC 9420 §12.4.2: the key derived for " + node
                    + " does not match its public key in the tree");
        }
    }

    // ---- shared ----------------------------------------------------------------------------

    /** path_secret[n] = DeriveSecret(path_secret[n-1], "path") (§7.4); also the commit secret. */
    static byte[] nextPathSecret(SuiteCrypto crypto, byte[] pathSecret) {
        return crypto.deriveSecret(pathSecret, "path");
    }

    /** node_priv, node_pub = DeriveKeyPair(DeriveSecret(path_secret, "node")) (§7.4). */
    static HpkeKeyPair nodeKeyPair(SuiteCrypto crypto, byte[] pathSecret) {
        byte[] nodeSecret = crypto.deriveSecret(pathSecret, "node");
        try {
            return crypto.deriveHpkeKeyPair(nodeSecret);
        } finally {
            Arrays.fill(nodeSecret, (byte) 0);
        }
    }

    private record Chain(RatchetTree tree, Bytes leafParentHash) {
    }

    /**
     * Blanks the sender's direct path, puts the new keys on its filtered direct path and fills
     * in the parent hashes from the root down (§7.9): each node stores the parent hash of the
     * next node above it; the last one computed belongs in the leaf. The sender's leaf itself is
     * left as it was (no copath subtree contains it, so no hash depends on it).
     */
    private static Chain chainParentHashes(RatchetTree tree, LeafIndex sender, List<PathStep> steps,
            List<Bytes> keys) {
        List<NodeIndex> nodes = steps.stream().map(PathStep::node).toList();
        List<ParentNode> placeholders = keys.stream().map(k -> new ParentNode(k, Bytes.EMPTY, List.of())).toList();
        RatchetTree t = tree.withPath(sender, tree.leaf(sender).orElseThrow(), nodes, placeholders);
        Bytes above = Bytes.EMPTY;
        for (int i = steps.size() - 1; i >= 0; i--) {
            PathStep step = steps.get(i);
            if (!above.isEmpty()) {
                t = t.withParentNode(step.node(), new ParentNode(keys.get(i), above, List.of()));
            }
            above = t.parentHash(step.node(), step.copathChild());
        }
        return new Chain(t, above);
    }
}
