package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;

/**
 * The persistent tree against a plain array that follows RFC 9420 §7.7, §12.1 and §7.8 line by
 * line (no sharing, no caches): random adds, removes, updates and path merges must give the
 * same nodes, tree hash, resolutions and filtered direct paths.
 */
class ReferenceModelTest {
    /** The reference: a node array of a complete tree, rebuilt naively after each step. */
    private static final class Model {
        Node[] nodes = new Node[1];
        int leaves = 1;

        int width() {
            return 2 * leaves - 1;
        }

        LeafIndex add(LeafNode leaf) {
            int slot = -1;
            for (int i = 0; i < leaves; i++) {
                if (nodes[2 * i] == null) {
                    slot = i;
                    break;
                }
            }
            if (slot < 0) {
                slot = leaves;
                leaves *= 2;
                nodes = Arrays.copyOf(nodes, width());
            }
            LeafIndex l = LeafIndex.of(slot);
            for (NodeIndex p : TreeMath.directPath(l.toNode(), leaves)) {
                if (nodes[p.value()] instanceof ParentNode pn) {
                    List<LeafIndex> u = new ArrayList<>(pn.unmergedLeaves());
                    u.add(l);
                    nodes[p.value()] = new ParentNode(pn.encryptionKey(), pn.parentHash(), u);
                }
            }
            nodes[l.toNode().value()] = leaf;
            return l;
        }

        void blankPath(LeafIndex l) {
            for (NodeIndex p : TreeMath.directPath(l.toNode(), leaves)) {
                nodes[p.value()] = null;
            }
        }

        void remove(LeafIndex l) {
            nodes[l.toNode().value()] = null;
            blankPath(l);
            while (leaves > 1) {
                boolean rightEmpty = true;
                for (int i = leaves; i < width(); i++) {
                    rightEmpty &= nodes[i] == null;
                }
                if (!rightEmpty) {
                    break;
                }
                leaves /= 2;
                nodes = Arrays.copyOf(nodes, width());
            }
        }

        void update(LeafIndex l, LeafNode leaf) {
            nodes[l.toNode().value()] = leaf;
            blankPath(l);
        }

        List<NodeIndex> resolution(int x) {
            Node n = nodes[x];
            if (n instanceof ParentNode p) {
                List<NodeIndex> out = new ArrayList<>(List.of(NodeIndex.of(x)));
                p.unmergedLeaves().forEach(l -> out.add(l.toNode()));
                return out;
            }
            if (n != null) {
                return List.of(NodeIndex.of(x));
            }
            if ((x & 1) == 0) {
                return List.of();
            }
            List<NodeIndex> out = new ArrayList<>(resolution(TreeMath.left(NodeIndex.of(x)).value()));
            out.addAll(resolution(TreeMath.right(NodeIndex.of(x)).value()));
            return out;
        }

        List<NodeIndex> filteredDirectPath(LeafIndex l) {
            List<NodeIndex> out = new ArrayList<>();
            List<NodeIndex> dp = TreeMath.directPath(l.toNode(), leaves);
            List<NodeIndex> cp = TreeMath.copath(l.toNode(), leaves);
            for (int i = 0; i < dp.size(); i++) {
                if (!resolution(cp.get(i).value()).isEmpty()) {
                    out.add(dp.get(i));
                }
            }
            return out;
        }

        Bytes hash(int x) {
            TlsWriter w = new TlsWriter();
            if ((x & 1) == 0) {
                w.uint8(1).uint32(x / 2);
                w.optional(Optional.ofNullable((LeafNode) nodes[x]));
            } else {
                w.uint8(2);
                w.optional(Optional.ofNullable((ParentNode) nodes[x]));
                w.opaque(hash(TreeMath.left(NodeIndex.of(x)).value()));
                w.opaque(hash(TreeMath.right(NodeIndex.of(x)).value()));
            }
            return Bytes.wrap(TreeFixtures.CRYPTO.hash(w.toByteArray()));
        }

        List<Optional<Node>> encoded() {
            int last = nodes.length - 1;
            while (last >= 0 && nodes[last] == null) {
                last--;
            }
            List<Optional<Node>> out = new ArrayList<>();
            for (int i = 0; i <= last; i++) {
                out.add(Optional.ofNullable(nodes[i]));
            }
            return out;
        }

        List<LeafIndex> members() {
            List<LeafIndex> out = new ArrayList<>();
            for (int i = 0; i < leaves; i++) {
                if (nodes[2 * i] != null) {
                    out.add(LeafIndex.of(i));
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsMatchTheReference(long seed) throws Exception {
        Random random = new Random(seed);
        LeafNode first = TreeFixtures.fakeLeaf(random);
        Model model = new Model();
        model.nodes[0] = first;
        RatchetTree tree = RatchetTree.create(TreeFixtures.CRYPTO, first);
        for (int step = 0; step < 250; step++) {
            List<LeafIndex> members = model.members();
            int op = random.nextInt(10);
            if (op < 4 || members.size() < 2) {
                LeafNode leaf = TreeFixtures.fakeLeaf(random);
                RatchetTree.Added added = tree.addLeaf(leaf);
                assertThat(added.leaf()).isEqualTo(model.add(leaf));
                tree = added.tree();
            } else if (op < 6) {
                LeafIndex l = members.get(random.nextInt(members.size()));
                model.remove(l);
                tree = tree.removeLeaf(l);
            } else if (op < 7) {
                LeafIndex l = members.get(random.nextInt(members.size()));
                LeafNode leaf = TreeFixtures.fakeLeaf(random);
                model.update(l, leaf);
                tree = tree.updateLeaf(l, leaf);
            } else {
                // A committer's path: fresh parent nodes on the filtered direct path, the rest blanked.
                LeafIndex l = members.get(random.nextInt(members.size()));
                List<NodeIndex> filtered = model.filteredDirectPath(l);
                assertThat(tree.filteredDirectPath(l)).isEqualTo(filtered);
                List<ParentNode> parents = new ArrayList<>();
                model.blankPath(l);
                for (NodeIndex p : filtered) {
                    byte[] key = new byte[32];
                    random.nextBytes(key);
                    ParentNode pn = new ParentNode(Bytes.wrap(key), Bytes.fromHex("ab"), List.of());
                    parents.add(pn);
                    model.nodes[p.value()] = pn;
                }
                LeafNode leaf = TreeFixtures.fakeLeaf(random);
                model.nodes[l.toNode().value()] = leaf;
                tree = tree.withPath(l, leaf, filtered, parents);
            }
            assertThat(tree.leafCount()).as("step %d", step).isEqualTo(model.leaves);
            assertThat(tree.toNodes()).as("step %d", step).isEqualTo(model.encoded());
            assertThat(tree.members()).isEqualTo(model.members());
            if (step % 10 == 0) {
                assertThat(tree.treeHash()).as("step %d", step).isEqualTo(model.hash(TreeMath.root(model.leaves).value()));
                for (int x = 0; x < model.width(); x++) {
                    assertThat(tree.resolution(NodeIndex.of(x))).isEqualTo(model.resolution(x));
                }
                assertThat(RatchetTree.fromNodes(TreeFixtures.CRYPTO, tree.toNodes())).isEqualTo(tree);
            }
        }
    }
}
