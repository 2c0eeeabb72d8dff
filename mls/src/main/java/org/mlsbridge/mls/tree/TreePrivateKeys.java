package org.mlsbridge.mls.tree;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.mlsbridge.mls.crypto.HpkeKeyPair;

/**
 * One member's private view of the ratchet tree: the HPKE key pairs it holds for its own leaf
 * and for the nodes above it (RFC 9420 §7.4). Kept apart from the public {@link RatchetTree} so
 * that a delivery service or bridge can hold the public tree alone, and so that the group layer
 * can store the secrets encrypted on their own.
 *
 * <p>Immutable: staging a commit yields a new instance and the current one stays usable until
 * the group merges. Old key pairs are not wiped here since staged and current states may share
 * them; the group layer destroys the replaced ones after merging.
 */
public final class TreePrivateKeys {
    private static final TreePrivateKeys EMPTY = new TreePrivateKeys(new TreeMap<>());

    private final TreeMap<NodeIndex, HpkeKeyPair> keys;

    private TreePrivateKeys(TreeMap<NodeIndex, HpkeKeyPair> keys) {
        this.keys = keys;
    }

    public static TreePrivateKeys empty() {
        return EMPTY;
    }

    /** The state of a member that knows only its own leaf key (a new joiner, or just after an Update). */
    public static TreePrivateKeys ofLeaf(LeafIndex leaf, HpkeKeyPair leafKey) {
        return EMPTY.with(leaf.toNode(), leafKey);
    }

    public Optional<HpkeKeyPair> get(NodeIndex node) {
        return Optional.ofNullable(keys.get(node));
    }

    public Set<NodeIndex> nodes() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    public int size() {
        return keys.size();
    }

    public TreePrivateKeys with(NodeIndex node, HpkeKeyPair keyPair) {
        TreeMap<NodeIndex, HpkeKeyPair> copy = new TreeMap<>(keys);
        copy.put(node, keyPair);
        return new TreePrivateKeys(copy);
    }

    public TreePrivateKeys withAll(Map<NodeIndex, HpkeKeyPair> more) {
        TreeMap<NodeIndex, HpkeKeyPair> copy = new TreeMap<>(keys);
        copy.putAll(more);
        return new TreePrivateKeys(copy);
    }

    public TreePrivateKeys without(NodeIndex node) {
        if (!keys.containsKey(node)) {
            return this;
        }
        TreeMap<NodeIndex, HpkeKeyPair> copy = new TreeMap<>(keys);
        copy.remove(node);
        return new TreePrivateKeys(copy);
    }

    /**
     * Only the key pairs that still match {@code tree}: a node that became blank or got a new
     * public key (by a Remove, an Update or someone's commit) takes its old private key out.
     */
    public TreePrivateKeys retainMatching(RatchetTree tree) {
        TreeMap<NodeIndex, HpkeKeyPair> copy = new TreeMap<>();
        keys.forEach((node, pair) -> {
            if (node.value() < tree.nodeWidth() && !tree.isBlank(node)
                    && tree.encryptionKey(node).equals(pair.publicKey())) {
                copy.put(node, pair);
            }
        });
        return copy.size() == keys.size() ? this : new TreePrivateKeys(copy);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "TreePrivateKeys" + keys.keySet();
    }
}
