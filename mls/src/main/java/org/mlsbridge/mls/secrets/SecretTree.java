package org.mlsbridge.mls.secrets;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.TreeMath;

/**
 * The secret tree of one epoch (RFC 9420 §9): from encryption_secret at the root, each parent
 * yields its children's secrets with ExpandWithLabel(secret, "tree", "left"/"right", Nh), and
 * each leaf secret yields that member's handshake and application ratchets.
 *
 * <p>Derivation is lazy: only the path down to a leaf that sends is derived, and each node secret
 * is destroyed as soon as its two children exist (§9.2), so a tree of 65,536 leaves holds about
 * 2·16 secrets per active sender rather than 131,071. The leaf secret is destroyed once its two
 * ratchets exist.
 *
 * <p>Sending uses {@link #nextKey}; receiving uses {@link #stageKey} (consume after the message
 * checks out) or {@link #keyFor} (consume at once). Own messages echoed back by the delivery
 * service must be recognised before this tree is asked: their keys are gone once sent.
 *
 * <p>Not thread-safe: a group's state is confined to one thread at a time.
 */
public final class SecretTree {
    private final SuiteCrypto crypto;
    private final int leafCount;
    private final SecretTreeConfig config;
    private final NodeIndex root;
    /** Secrets of the nodes derived but not yet split: the frontier of the lazy derivation. */
    private final Map<Integer, Secret> nodeSecrets = new HashMap<>();
    private final Map<Integer, LeafRatchets> leaves = new HashMap<>();
    private boolean destroyed;

    private record LeafRatchets(HashRatchet handshake, HashRatchet application) {
        HashRatchet of(ContentKind kind) {
            return switch (kind) {
                case HANDSHAKE -> handshake;
                case APPLICATION -> application;
            };
        }
    }

    /**
     * @param encryptionSecret the epoch's encryption_secret; copied, so the caller destroys its own
     *     (§9.2 wants it gone once the tree exists)
     * @param leafCount leaves of the epoch's ratchet tree (a power of two)
     */
    public SecretTree(SuiteCrypto crypto, Secret encryptionSecret, int leafCount, SecretTreeConfig config) {
        this.root = TreeMath.root(leafCount);
        this.crypto = crypto;
        this.leafCount = leafCount;
        this.config = config;
        nodeSecrets.put(root.value(), Secret.wrap(encryptionSecret.copy()));
    }

    public SecretTree(SuiteCrypto crypto, Secret encryptionSecret, int leafCount) {
        this(crypto, encryptionSecret, leafCount, SecretTreeConfig.DEFAULT);
    }

    public int leafCount() {
        return leafCount;
    }

    public SecretTreeConfig config() {
        return config;
    }

    /**
     * Sending: the key and nonce of {@code leaf}'s next generation of the given ratchet. The
     * ratchet moves on at once; the caller owns the result and destroys it after use.
     */
    public RatchetKey nextKey(LeafIndex leaf, ContentKind kind) {
        if (leaf.value() >= leafCount) {
            throw new IllegalArgumentException(leaf + " is outside a tree of " + leafCount + " leaves");
        }
        return ratchets(leaf, kind).advance();
    }

    /**
     * Receiving, step one: the key of {@code generation} for a message from {@code leaf}, with
     * nothing consumed until {@link PendingKey#commit()}.
     *
     * @throws ValidationException the leaf is outside the tree, the generation was already used
     *     (replay) or fell out of the out-of-order window, or it lies beyond the forward-skip cap
     */
    public PendingKey stageKey(LeafIndex leaf, ContentKind kind, long generation) throws ValidationException {
        if (leaf.value() >= leafCount) {
            throw new ValidationException(FailureReason.UNKNOWN_SENDER,
                    "RFC 9420 §6.3.2: sender " + leaf + " is outside the tree of "
                    + leafCount + " leaves");
        }
        HashRatchet ratchet = ratchets(leaf, kind);
        return new PendingKey(ratchet, ratchet.stage(generation));
    }

    /**
     * Receiving in one step: {@link #stageKey} and commit at once. The caller owns the result.
     * Prefer {@link #stageKey} where a message can still fail after decryption.
     */
    public RatchetKey keyFor(LeafIndex leaf, ContentKind kind, long generation) throws ValidationException {
        try (PendingKey pending = stageKey(leaf, kind, generation)) {
            RatchetKey copy = pending.key().copy();
            try {
                pending.commit();
            } catch (ValidationException e) {
                copy.destroy();
                throw e;
            }
            return copy;
        }
    }

    /** The generation {@link #nextKey} would use next for this leaf and ratchet. */
    public long nextGeneration(LeafIndex leaf, ContentKind kind) {
        if (leaf.value() >= leafCount) {
            throw new IllegalArgumentException(leaf + " is outside a tree of " + leafCount + " leaves");
        }
        return ratchets(leaf, kind).nextGeneration();
    }

    /** Wipes every secret the tree still holds; at the end of the epoch. */
    public void destroy() {
        destroyed = true;
        nodeSecrets.values().forEach(Secret::destroy);
        nodeSecrets.clear();
        for (LeafRatchets r : leaves.values()) {
            r.handshake().destroy();
            r.application().destroy();
        }
        leaves.clear();
    }

    /** Node secrets currently held (for tests of the lazy derivation). */
    int storedNodeSecrets() {
        return nodeSecrets.size();
    }

    /** Keys retained for late messages across all ratchets (for tests). */
    int retainedKeys() {
        return leaves.values().stream()
                .mapToInt(r -> r.handshake().retainedCount() + r.application().retainedCount()).sum();
    }

    // ---- storage ------------------------------------------------------------------------------

    private SecretTree(SuiteCrypto crypto, int leafCount, SecretTreeConfig config) {
        this.root = TreeMath.root(leafCount);
        this.crypto = crypto;
        this.leafCount = leafCount;
        this.config = config;
    }

    /**
     * Everything the tree still holds (frontier node secrets, each started leaf's two ratchets
     * with their retained keys), for storing a group's state. The output contains secrets in
     * the clear: the storage layer must encrypt it. The config is not included.
     */
    public void writeTo(TlsWriter w) {
        if (destroyed) {
            throw new IllegalStateException("secret tree was destroyed");
        }
        w.uint32(leafCount);
        w.vector(new TreeMap<>(nodeSecrets).entrySet(), (ww, e) -> {
            ww.uint32(e.getKey());
            HashRatchet.writeSecret(ww, e.getValue());
        });
        w.vector(new TreeMap<>(leaves).entrySet(), (ww, e) -> {
            ww.uint32(e.getKey());
            e.getValue().handshake().writeTo(ww);
            e.getValue().application().writeTo(ww);
        });
    }

    /** The counterpart of {@link #writeTo}; malformed or inconsistent input is a {@link DecodeException}. */
    public static SecretTree readFrom(TlsReader r, SuiteCrypto crypto, SecretTreeConfig config)
            throws DecodeException {
        long leaves = r.uint32();
        if (leaves < 1 || leaves > (1 << 30) || Long.bitCount(leaves) != 1) {
            throw new DecodeException("secret tree leaf count " + leaves + " is not a power of two");
        }
        SecretTree tree = new SecretTree(crypto, (int) leaves, config);
        int width = TreeMath.nodeWidth(tree.leafCount);
        List<Integer> nodes = r.vector(rr -> {
            int node = rr.uint32AsInt("secret tree node");
            if (node >= width || tree.nodeSecrets.put(node, HashRatchet.readSecret(rr, crypto.hashLength(),
                    "node secret")) != null) {
                throw new DecodeException("secret tree node " + node + " is invalid or repeated");
            }
            return node;
        });
        List<Integer> leafIds = r.vector(rr -> {
            int leaf = rr.uint32AsInt("secret tree leaf");
            String name = LeafIndex.of(leaf) + " ";
            LeafRatchets ratchets = new LeafRatchets(
                    HashRatchet.readFrom(rr, crypto, config, name + "handshake ratchet"),
                    HashRatchet.readFrom(rr, crypto, config, name + "application ratchet"));
            if (leaf >= tree.leafCount || tree.leaves.put(leaf, ratchets) != null) {
                throw new DecodeException("secret tree leaf " + leaf + " is invalid or repeated");
            }
            return leaf;
        });
        if (nodes.isEmpty() && leafIds.isEmpty()) {
            throw new DecodeException("secret tree holds no secrets");
        }
        return tree;
    }

    private HashRatchet ratchets(LeafIndex leaf, ContentKind kind) {
        if (destroyed) {
            throw new IllegalStateException("secret tree was destroyed");
        }
        LeafRatchets r = leaves.get(leaf.value());
        if (r == null) {
            r = deriveLeaf(leaf);
            leaves.put(leaf.value(), r);
        }
        return r.of(kind);
    }

    /** Walks down from the lowest derived ancestor, splitting each node on the way (§9, §9.2). */
    private LeafRatchets deriveLeaf(LeafIndex leaf) {
        NodeIndex target = leaf.toNode();
        NodeIndex at = target;
        while (!nodeSecrets.containsKey(at.value())) {
            if (at.equals(root)) {
                throw new IllegalStateException("secret tree holds no ancestor of " + leaf);
            }
            at = TreeMath.parent(at, leafCount);
        }
        while (!at.equals(target)) {
            Secret parent = nodeSecrets.remove(at.value());
            NodeIndex left = TreeMath.left(at);
            NodeIndex right = TreeMath.right(at);
            nodeSecrets.put(left.value(), Kdf.expandWithLabel(crypto, parent, "tree", "left", crypto.hashLength()));
            nodeSecrets.put(right.value(), Kdf.expandWithLabel(crypto, parent, "tree", "right", crypto.hashLength()));
            parent.destroy();
            at = TreeMath.isInSubtree(left, target) ? left : right;
        }
        Secret leafSecret = nodeSecrets.remove(target.value());
        try {
            Secret hs = Kdf.expandWithLabel(crypto, leafSecret, ContentKind.HANDSHAKE.label(), new byte[0],
                    crypto.hashLength());
            Secret app = Kdf.expandWithLabel(crypto, leafSecret, ContentKind.APPLICATION.label(), new byte[0],
                    crypto.hashLength());
            return new LeafRatchets(new HashRatchet(crypto, hs, config, leaf + " handshake ratchet"),
                    new HashRatchet(crypto, app, config, leaf + " application ratchet"));
        } finally {
            leafSecret.destroy();
        }
    }
}
