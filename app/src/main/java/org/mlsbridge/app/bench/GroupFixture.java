package org.mlsbridge.app.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.group.EpochSuccession;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeMath;
import org.mlsbridge.mls.tree.TreePrivateKeys;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * A group of N members in one of the two tree shapes, built directly rather than through N
 * commits, with every member's private keys known, so that the state of any member can be
 * produced ({@link #stateOf}) for the same epoch.
 *
 * <ul>
 *   <li>{@link Shape#SPARSE}: the tree right after one commit added members 1..N-1 to the
 *       creator's group: the KeyPackages' leaves, every parent blank.
 *   <li>{@link Shape#FULL}: the tree of a group in which members 0, 1, ..., N-1 committed with a
 *       path one after the other: every parent that has members on both sides is set (the others
 *       must stay blank: they are on no filtered direct path), no unmerged leaves, and each
 *       parent was last written by the rightmost member below it. That member's commit chained
 *       the parent hashes of its filtered direct path up to the highest node it still owns; the
 *       parent_hash it wrote above that node, and the one in the leaf of every member whose
 *       nodes were all overwritten later, is stale, as in a real group. The result is a tree that
 *       passes every check of a joiner (§12.4.3.1: tree hash, parent hashes, leaf signatures,
 *       unique keys).
 * </ul>
 *
 * <p>The full shape costs one HPKE key generation per parent and one leaf signature per member
 * (the leaves become source commit, bound to the group and position): the signatures of
 * members whose leaf ends a parent-hash chain are made in tree order, since the chain depends on
 * the tree hash of the subtree left of it; all the rest runs on every core.
 */
final class GroupFixture {
    enum Shape {
        SPARSE, FULL
    }

    private final SuiteCrypto crypto;
    private final GroupConfig config;
    private final Shape shape;
    private final Bytes groupId;
    private final List<Member> members;
    private final RatchetTree tree;
    private final GroupContext context;
    private final byte[] epochSecret;
    /** Key pairs of the parent nodes by node index; null where blank. */
    private final HpkeKeyPair[] parentKeys;

    private GroupFixture(SuiteCrypto crypto, GroupConfig config, Shape shape, Bytes groupId, List<Member> members,
            RatchetTree tree, HpkeKeyPair[] parentKeys) {
        this.crypto = crypto;
        this.config = config;
        this.shape = shape;
        this.groupId = groupId;
        this.members = List.copyOf(members);
        this.tree = tree;
        this.parentKeys = parentKeys;
        this.context = new GroupContext(GroupContext.MLS10, crypto.suite(), groupId, 1, tree.treeHash(),
                Bytes.wrap(crypto.hash("bench fixture transcript".getBytes(StandardCharsets.US_ASCII))), List.of());
        this.epochSecret = crypto.hash(("bench fixture epoch " + groupId).getBytes(StandardCharsets.US_ASCII));
    }

    static GroupFixture build(Shape shape, SuiteCrypto crypto, GroupConfig config, Bytes groupId,
            List<Member> members) throws ValidationException {
        return switch (shape) {
            case SPARSE -> sparse(crypto, config, groupId, members);
            case FULL -> full(crypto, config, groupId, members);
        };
    }

    static GroupFixture sparse(SuiteCrypto crypto, GroupConfig config, Bytes groupId, List<Member> members)
            throws ValidationException {
        List<Optional<Node>> nodes = new ArrayList<>(2 * members.size());
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                nodes.add(Optional.empty());
            }
            nodes.add(Optional.of(members.get(i).bundle().keyPackage().leafNode()));
        }
        RatchetTree tree = RatchetTree.fromNodes(crypto, nodes);
        return new GroupFixture(crypto, config, Shape.SPARSE, groupId, members, tree,
                new HpkeKeyPair[TreeMath.nodeWidth(tree.leafCount())]);
    }

    static GroupFixture full(SuiteCrypto crypto, GroupConfig config, Bytes groupId, List<Member> members)
            throws ValidationException {
        return new FullTreeBuilder(crypto, config, groupId, members).build();
    }

    Shape shape() {
        return shape;
    }

    RatchetTree tree() {
        return tree;
    }

    int size() {
        return members.size();
    }

    Member member(int leaf) {
        return members.get(leaf);
    }

    /** The state of the member at {@code leaf} in this fixture's epoch: fresh secrets, shared public tree. */
    GroupState stateOf(LeafIndex leaf) {
        Member m = members.get(leaf.value());
        HpkeKeyPair leafKey = new HpkeKeyPair(m.bundle().encryptionPrivateKey(),
                tree.leaf(leaf).orElseThrow().encryptionKey());
        TreePrivateKeys keys = TreePrivateKeys.ofLeaf(leaf, leafKey);
        for (NodeIndex p : TreeMath.directPath(leaf.toNode(), tree.leafCount())) {
            if (parentKeys[p.value()] != null) {
                keys = keys.with(p, parentKeys[p.value()]);
            }
        }
        EpochSecrets secrets = new KeySchedule(crypto).fromEpochSecret(Secret.of(epochSecret));
        Bytes tag = TranscriptHashes.confirmationTag(crypto, secrets.confirmationKey(),
                context.confirmedTranscriptHash());
        return EpochSuccession.initial(crypto, context, tree, leaf, keys, m.identity().signaturePrivateKey(), secrets,
                tag, config);
    }

    /** The generator of the full shape (see the class comment). */
    private static final class FullTreeBuilder {
        private final SuiteCrypto crypto;
        private final GroupConfig config;
        private final Bytes groupId;
        private final List<Member> members;
        private final int n;
        private final int leafCount;
        private final Node[] nodes;
        private final HpkeKeyPair[] parentKeys;
        /** Leaves whose parent_hash ends a chain, so their signature must wait for the chain. */
        private final boolean[] chainEnd;

        FullTreeBuilder(SuiteCrypto crypto, GroupConfig config, Bytes groupId, List<Member> members) {
            this.crypto = crypto;
            this.config = config;
            this.groupId = groupId;
            this.members = members;
            this.n = members.size();
            int leaves = 1;
            while (leaves < n) {
                leaves <<= 1;
            }
            this.leafCount = leaves;
            this.nodes = new Node[TreeMath.nodeWidth(leaves)];
            this.parentKeys = new HpkeKeyPair[nodes.length];
            this.chainEnd = new boolean[leaves];
        }

        GroupFixture build() throws ValidationException {
            IntStream.range(0, nodes.length).filter(x -> (x & 1) == 1 && isSet(x)).parallel()
                    .forEach(x -> parentKeys[x] = crypto.generateHpkeKeyPair());
            markChainEnds(TreeMath.root(leafCount).value(), false);
            IntStream.range(0, n).filter(l -> !chainEnd[l]).parallel()
                    .forEach(l -> nodes[2 * l] = signedLeaf(l, stale(2 * l)));
            Bytes rootHash = finish(TreeMath.root(leafCount).value(), Bytes.EMPTY);
            int last = 2 * (n - 1);
            List<Optional<Node>> list = new ArrayList<>(last + 1);
            for (int i = 0; i <= last; i++) {
                list.add(Optional.ofNullable(nodes[i]));
            }
            RatchetTree tree = RatchetTree.fromNodes(crypto, list);
            if (!tree.treeHash().equals(rootHash)) {
                throw new IllegalStateException("the generated tree hashes differently in the library");
            }
            return new GroupFixture(crypto, config, Shape.FULL, groupId, members, tree, parentKeys);
        }

        /** A parent is set when members sit on both sides of it (left-packed members: the right side decides). */
        private boolean isSet(int x) {
            int level = TreeMath.level(NodeIndex.of(x));
            int firstLeaf = (x - ((1 << level) - 1)) >>> 1;
            return firstLeaf + (1 << (level - 1)) < n;
        }

        private int leftmostLeaf(int x) {
            int level = TreeMath.level(NodeIndex.of(x));
            return (x - ((1 << level) - 1)) >>> 1;
        }

        private void markChainEnds(int x, boolean chained) {
            if (leftmostLeaf(x) >= n) {
                return;
            }
            if ((x & 1) == 0) {
                chainEnd[x >>> 1] = chained;
                return;
            }
            NodeIndex i = NodeIndex.of(x);
            if (isSet(x)) {
                markChainEnds(TreeMath.left(i).value(), false);
                markChainEnds(TreeMath.right(i).value(), true);
            } else {
                markChainEnds(TreeMath.left(i).value(), chained);
            }
        }

        /**
         * Fills in the subtree at {@code x}, whose chain value from above is {@code parentHash}
         * (empty: none), and returns its tree hash.
         */
        private Bytes finish(int x, Bytes parentHash) {
            NodeIndex i = NodeIndex.of(x);
            if ((x & 1) == 0) {
                int leaf = x >>> 1;
                if (leaf < n && chainEnd[leaf]) {
                    nodes[x] = signedLeaf(leaf, parentHash);
                }
                return leafHash(leaf, (LeafNode) (leaf < n ? nodes[x] : null));
            }
            if (!isSet(x)) {
                Bytes left = finish(TreeMath.left(i).value(), parentHash);
                Bytes right = finish(TreeMath.right(i).value(), Bytes.EMPTY);
                return parentTreeHash(null, left, right);
            }
            ParentNode content = new ParentNode(parentKeys[x].publicKey(),
                    parentHash.isEmpty() && x != TreeMath.root(leafCount).value() ? stale(x) : parentHash, List.of());
            nodes[x] = content;
            Bytes left = finish(TreeMath.left(i).value(), Bytes.EMPTY);
            Bytes right = finish(TreeMath.right(i).value(), parentHashOf(content, left));
            return parentTreeHash(content, left, right);
        }

        private LeafNode signedLeaf(int leaf, Bytes parentHash) {
            Member m = members.get(leaf);
            LeafNode kpLeaf = m.bundle().keyPackage().leafNode();
            LeafNode unsigned = new LeafNode(kpLeaf.encryptionKey(), kpLeaf.signatureKey(), kpLeaf.credential(),
                    kpLeaf.capabilities(), LeafNodeSource.COMMIT, Optional.empty(), Optional.of(parentHash),
                    kpLeaf.extensions(), Bytes.EMPTY);
            try {
                return unsigned.withSignature(Bytes.wrap(m.identity().signWithLabel(crypto,
                        TreeValidator.LEAF_SIGNATURE_LABEL, unsigned.toBeSigned(groupId, LeafIndex.of(leaf)))));
            } catch (CryptoException e) {
                throw new IllegalStateException("cannot sign a leaf", e);
            }
        }

        /** A parent_hash left over from a commit whose nodes were overwritten later. */
        private Bytes stale(int x) {
            return Bytes.wrap(crypto.hash(("stale parent hash " + x).getBytes(StandardCharsets.US_ASCII)));
        }

        // The three hashes below follow RFC 9420 §7.8 and §7.9; RatchetTree computes the same
        // (checked in build()), but it offers no way to hash a tree still being filled in.

        private Bytes leafHash(int leaf, LeafNode content) {
            TlsWriter w = new TlsWriter(512);
            w.uint8(1).uint32(leaf);
            if (content == null) {
                w.uint8(0);
            } else {
                w.uint8(1);
                content.writeTo(w);
            }
            return Bytes.wrap(crypto.hash(w.toByteArray()));
        }

        private Bytes parentTreeHash(ParentNode content, Bytes left, Bytes right) {
            TlsWriter w = new TlsWriter(256);
            w.uint8(2);
            if (content == null) {
                w.uint8(0);
            } else {
                w.uint8(1);
                content.writeTo(w);
            }
            w.opaque(left).opaque(right);
            return Bytes.wrap(crypto.hash(w.toByteArray()));
        }

        private Bytes parentHashOf(ParentNode parent, Bytes originalSiblingHash) {
            TlsWriter w = new TlsWriter(128);
            w.opaque(parent.encryptionKey()).opaque(parent.parentHash()).opaque(originalSiblingHash);
            return Bytes.wrap(crypto.hash(w.toByteArray()));
        }
    }
}
