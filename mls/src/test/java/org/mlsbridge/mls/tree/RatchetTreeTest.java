package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;
import org.mlsbridge.mls.message.RatchetTreeExtension;

class RatchetTreeTest {
    private final Random random = new Random(42);

    private LeafNode leaf() {
        return TreeFixtures.fakeLeaf(random);
    }

    private static NodeIndex n(int i) {
        return NodeIndex.of(i);
    }

    private static LeafIndex l(int i) {
        return LeafIndex.of(i);
    }

    @Test
    void addFillsTheLeftmostBlankLeafAndDoublesWhenFull() {
        RatchetTree t = RatchetTree.create(TreeFixtures.CRYPTO, leaf());
        RatchetTree.Added b = t.addLeaf(leaf());
        assertThat(b.leaf()).isEqualTo(l(1));
        assertThat(b.tree().leafCount()).isEqualTo(2);
        RatchetTree.Added c = b.tree().addLeaf(leaf());
        assertThat(c.leaf()).isEqualTo(l(2));
        assertThat(c.tree().leafCount()).isEqualTo(4);
        assertThat(c.tree().nextFreeLeaf()).isEqualTo(l(3));
        RatchetTree withoutB = c.tree().removeLeaf(l(1));
        assertThat(withoutB.leafCount()).isEqualTo(4);
        assertThat(withoutB.nextFreeLeaf()).isEqualTo(l(1));
        RatchetTree.Added d = withoutB.addLeaf(leaf());
        assertThat(d.leaf()).isEqualTo(l(1));
        assertThat(d.tree().memberCount()).isEqualTo(3);
    }

    @Test
    void removeTruncatesEmptyRightHalvesRepeatedly() {
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 5, random);
        assertThat(t.leafCount()).isEqualTo(8);
        RatchetTree r = t.removeLeaf(l(4));
        assertThat(r.leafCount()).isEqualTo(4);
        RatchetTree r2 = r.removeLeaf(l(3)).removeLeaf(l(2));
        assertThat(r2.leafCount()).isEqualTo(2);
        assertThat(r2.removeLeaf(l(1)).leafCount()).isEqualTo(1);
        // Removing a middle leaf keeps the width, and the encoding still ends in a non-blank node.
        RatchetTree middle = t.removeLeaf(l(1));
        assertThat(middle.leafCount()).isEqualTo(8);
        assertThat(middle.toNodes()).hasSize(9).last().matches(Optional::isPresent);
    }

    @Test
    void aRemovedLeafAndItsDirectPathAreBlanked() throws MlsException {
        SimulatedGroup g = new SimulatedGroup(TreeFixtures.member("a"));
        for (int i = 0; i < 3; i++) {
            g.add(TreeFixtures.member("m" + i));
        }
        g.commit(l(0), Set.of());
        assertThat(g.tree.isBlank(n(1))).isFalse();
        assertThat(g.tree.isBlank(n(3))).isFalse();
        RatchetTree r = g.tree.removeLeaf(l(1));
        assertThat(r.isBlank(n(2))).isTrue();
        assertThat(r.isBlank(n(1))).isTrue();
        assertThat(r.isBlank(n(3))).isTrue();
        assertThat(r.isBlank(n(0))).isFalse();
    }

    @Test
    void updateReplacesTheLeafAndBlanksItsDirectPath() throws MlsException {
        SimulatedGroup g = new SimulatedGroup(TreeFixtures.member("a"));
        for (int i = 0; i < 3; i++) {
            g.add(TreeFixtures.member("m" + i));
        }
        g.commit(l(3), Set.of());
        LeafNode fresh = leaf();
        RatchetTree u = g.tree.updateLeaf(l(2), fresh);
        assertThat(u.leaf(l(2))).contains(fresh);
        assertThat(u.isBlank(n(5))).isTrue();
        assertThat(u.isBlank(n(3))).isTrue();
        assertThat(g.tree.isBlank(n(5))).isFalse();
        assertThatThrownBy(() -> u.updateLeaf(l(7), fresh)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addedLeavesBecomeUnmergedAtEveryNonBlankAncestor() throws MlsException {
        SimulatedGroup g = new SimulatedGroup(TreeFixtures.member("a"));
        for (int i = 0; i < 6; i++) {
            g.add(TreeFixtures.member("m" + i));
        }
        g.commit(l(0), Set.of());
        g.remove(l(5));
        // Leaf 4 commits: its copath node 10 (blank leaf 5) is empty, so node 9 stays blank.
        g.commit(l(4), Set.of());
        LeafIndex added = g.add(TreeFixtures.member("late"));
        assertThat(added).isEqualTo(l(5));
        for (NodeIndex p : TreeMath.directPath(added.toNode(), g.tree.leafCount())) {
            Optional<ParentNode> parent = g.tree.parentNode(p);
            parent.ifPresent(pn -> assertThat(pn.unmergedLeaves()).contains(added));
        }
        assertThat(g.tree.parentNode(n(7)).orElseThrow().unmergedLeaves()).containsExactly(added);
        assertThat(g.tree.resolution(n(11))).containsExactly(n(11), n(10));
        assertThat(g.tree.resolution(n(11), Set.of(added))).containsExactly(n(11));
        assertThat(g.tree.resolution(n(9))).containsExactly(n(8), n(10));
    }

    @Test
    void resolutionAndFilteredPathSkipBlankSubtrees() {
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 5, random).removeLeaf(l(1));
        assertThat(t.resolution(n(3))).containsExactly(n(0), n(4), n(6));
        assertThat(t.resolution(n(2))).isEmpty();
        assertThat(t.resolution(n(11))).containsExactly(n(8));
        // Leaf 0's copath: node 2 (blank leaf 1) is empty, so node 1 is filtered out.
        assertThat(t.filteredDirectPath(l(0))).containsExactly(n(3), n(7));
        assertThat(t.filteredPath(l(4))).containsExactly(new PathStep(n(7), n(3)));
    }

    @Test
    void operationsNeverChangeTheTreeTheyStartFrom() {
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 6, random);
        List<Optional<Node>> nodes = t.toNodes();
        Bytes hash = t.treeHash();
        t.addLeaf(leaf());
        t.removeLeaf(l(5));
        t.updateLeaf(l(2), leaf());
        assertThat(t.toNodes()).isEqualTo(nodes);
        assertThat(t.treeHash()).isEqualTo(hash);
    }

    @Test
    void encodingRoundTripsAndHashesLikeAFreshlyDecodedTree() throws MlsException {
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 11, random).removeLeaf(l(3)).removeLeaf(l(10));
        byte[] wire = t.toExtension().toByteArray();
        RatchetTree back = RatchetTree.fromExtension(TreeFixtures.CRYPTO,
                TlsReader.decode(wire, RatchetTreeExtension::readFrom));
        assertThat(back).isEqualTo(t);
        assertThat(back.leafCount()).isEqualTo(16);
        assertThat(back.toExtension().toByteArray()).isEqualTo(wire);
        assertThat(back.treeHash()).isEqualTo(t.treeHash());
    }

    @Test
    void afterAOneLeafChangeOnlyTheChangedPathIsRehashed() throws MlsException {
        CountingCrypto crypto = new CountingCrypto(TreeFixtures.CRYPTO);
        RatchetTree t = TreeFixtures.fakeTree(crypto, 1024, random);
        t.treeHash();
        crypto.reset();
        t.treeHash();
        assertThat(crypto.hashes()).isZero();
        RatchetTree changed = t.updateLeaf(l(517), leaf());
        Bytes incremental = changed.treeHash();
        assertThat(crypto.hashes()).isEqualTo(11); // the leaf and its 10 ancestors: log2(1024) + 1
        crypto.reset();
        RatchetTree fresh = RatchetTree.fromNodes(crypto, changed.toNodes());
        assertThat(fresh.treeHash()).isEqualTo(incremental);
        assertThat(crypto.hashes()).isEqualTo(2047);
    }

    @Test
    void aTreesEncodingIsMadeOnceAndAChangedTreeHasItsOwn() throws MlsException {
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 12, random);
        byte[] first = extensionBytes(t);
        TlsWriter expected = new TlsWriter();
        t.toExtension().writeTo(expected);
        assertThat(first).isEqualTo(expected.toByteArray());
        assertThat(extensionBytes(t)).isEqualTo(first);

        RatchetTree changed = t.updateLeaf(l(5), leaf());
        TlsWriter changedExpected = new TlsWriter();
        changed.toExtension().writeTo(changedExpected);
        assertThat(extensionBytes(changed)).isEqualTo(changedExpected.toByteArray()).isNotEqualTo(first);
        assertThat(extensionBytes(t)).as("the old tree keeps its own").isEqualTo(first);
    }

    private static byte[] extensionBytes(RatchetTree t) {
        TlsWriter w = new TlsWriter();
        w.uint8(7); // written after other data, as in a group state
        t.writeExtensionTo(w);
        byte[] all = w.toByteArray();
        return java.util.Arrays.copyOfRange(all, 1, all.length);
    }

    @Test
    void readingOutsideTheTreeIsMisuseOrEmpty() {
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 3, random);
        assertThat(t.leaf(l(4))).isEmpty();
        assertThat(t.leaf(l(3))).isEmpty();
        assertThatThrownBy(() -> t.node(n(7))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.removeLeaf(l(3))).isInstanceOf(IllegalArgumentException.class);
    }
}
