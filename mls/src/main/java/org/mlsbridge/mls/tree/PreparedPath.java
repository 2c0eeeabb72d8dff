package org.mlsbridge.mls.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.UpdatePathNode;

/**
 * The committer's side of an UpdatePath (RFC 9420 §7.5), made by {@link TreeKem#preparePath}:
 * the new keys are chosen and merged into {@link #tree()}, but nothing is encrypted yet, because
 * the encryption context is the provisional GroupContext, which holds the hash of that very tree
 * (§12.4.1). Call {@link #encrypt} with it.
 */
public final class PreparedPath {
    private final RatchetTree tree;
    private final LeafIndex sender;
    private final LeafNode leafNode;
    private final List<PathStep> steps;
    private final List<Secret> pathSecrets;
    private final TreePrivateKeys privateKeys;
    private final Secret commitSecret;

    PreparedPath(RatchetTree tree, LeafIndex sender, LeafNode leafNode, List<PathStep> steps,
            List<Secret> pathSecrets, TreePrivateKeys privateKeys, Secret commitSecret) {
        this.tree = tree;
        this.sender = sender;
        this.leafNode = leafNode;
        this.steps = List.copyOf(steps);
        this.pathSecrets = List.copyOf(pathSecrets);
        this.privateKeys = privateKeys;
        this.commitSecret = commitSecret;
    }

    /** The tree with the new path merged; its hash goes into the provisional GroupContext. */
    public RatchetTree tree() {
        return tree;
    }

    public LeafIndex sender() {
        return sender;
    }

    /** The committer's new, signed leaf. */
    public LeafNode leafNode() {
        return leafNode;
    }

    /** The committer's private keys in the new tree: its leaf and every node of its filtered direct path. */
    public TreePrivateKeys privateKeys() {
        return privateKeys;
    }

    public Secret commitSecret() {
        return commitSecret;
    }

    /** The path secret of each node of the filtered direct path, leaf to root. */
    public List<Secret> pathSecrets() {
        return pathSecrets;
    }

    public List<PathStep> steps() {
        return steps;
    }

    /**
     * The path secret a new member receives in its Welcome (§12.4.3.1): the one of the lowest
     * path node above both the committer and {@code joiner}. Empty when no such node is on the
     * filtered direct path.
     */
    public Optional<Secret> pathSecretFor(LeafIndex joiner) {
        for (int i = 0; i < steps.size(); i++) {
            if (TreeMath.isInSubtree(steps.get(i).copathChild(), joiner.toNode())) {
                return Optional.of(pathSecrets.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Encrypts each path secret to the resolution of its copath child (§7.5), leaving out the
     * members added by the same commit, who get theirs in the Welcome.
     *
     * @param groupContext the serialized provisional GroupContext (§12.4.1)
     */
    public UpdatePath encrypt(byte[] groupContext, Set<LeafIndex> excluded) throws CryptoException {
        SuiteCrypto crypto = tree.crypto();
        List<UpdatePathNode> nodes = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            PathStep step = steps.get(i);
            byte[] secret = pathSecrets.get(i).copy();
            try {
                List<NodeIndex> resolution = tree.resolution(step.copathChild(), excluded);
                List<HpkeCiphertext> cts = seal(crypto, resolution, groupContext, secret);
                HpkeKeyPair own = privateKeys.get(step.node()).orElseThrow();
                nodes.add(new UpdatePathNode(own.publicKey(), cts));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        return new UpdatePath(leafNode, nodes);
    }

    /** From this many recipients of one path secret on, the HPKE seals run on every core. */
    private static final int PARALLEL_FROM = 64;

    /**
     * One HPKE seal per node of the resolution, in its order. Where a resolution is large (a
     * sparse tree: up to every leaf) the seals are independent public-key operations on
     * read-only inputs, so they run on every core (stateless crypto, the common pool).
     */
    private List<HpkeCiphertext> seal(SuiteCrypto crypto, List<NodeIndex> resolution, byte[] groupContext,
            byte[] secret) throws CryptoException {
        if (resolution.size() < PARALLEL_FROM) {
            List<HpkeCiphertext> cts = new ArrayList<>(resolution.size());
            for (NodeIndex r : resolution) {
                cts.add(crypto.encryptWithLabel(tree.encryptionKey(r), TreeKem.ENCRYPTION_LABEL, groupContext, secret));
            }
            return cts;
        }
        try {
            return resolution.parallelStream().map(r -> {
                try {
                    return crypto.encryptWithLabel(tree.encryptionKey(r), TreeKem.ENCRYPTION_LABEL, groupContext,
                            secret);
                } catch (CryptoException e) {
                    throw new UncheckedCrypto(e);
                }
            }).toList();
        } catch (UncheckedCrypto e) {
            throw e.cause;
        }
    }

    /** Carries a CryptoException out of a stream. */
    private static final class UncheckedCrypto extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient CryptoException cause;

        UncheckedCrypto(CryptoException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    /** The public keys of the path nodes, leaf to root. */
    List<Bytes> publicKeys() {
        return steps.stream().map(s -> privateKeys.get(s.node()).orElseThrow().publicKey()).toList();
    }

    @Override
    public String toString() {
        return "PreparedPath[" + sender + ", " + steps.size() + " path nodes]";
    }
}
