package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;
import org.mlsbridge.mls.message.RatchetTreeExtension;

/**
 * Trees a hostile peer could send in a Welcome or GroupInfo: each must be refused with an
 * MlsException naming the rule, and nothing else may escape (no runtime exception).
 */
class HostileTreeTest {
    /**
     * 8 leaves, 0..6 members; parents set by commits of 0, 3 and 4; leaf 5 re-added last, so it
     * is unmerged at node 11 and at the root 7.
     */
    private static RatchetTree valid;
    /** Members only, every parent blank: no parent hash depends on a leaf's bytes. */
    private static RatchetTree flat;

    @BeforeAll
    static void build() throws MlsException {
        SimulatedGroup g = new SimulatedGroup(TreeFixtures.member("m0"));
        for (int i = 1; i < 7; i++) {
            g.add(TreeFixtures.member("m" + i));
        }
        g.commit(LeafIndex.of(0), Set.of());
        g.commit(LeafIndex.of(3), Set.of());
        g.remove(LeafIndex.of(5));
        g.commit(LeafIndex.of(4), Set.of());
        g.add(TreeFixtures.member("late"));
        valid = g.tree;
        SimulatedGroup f = new SimulatedGroup(TreeFixtures.member("f0"));
        for (int i = 1; i < 3; i++) {
            f.add(TreeFixtures.member("f" + i));
        }
        flat = f.tree;
    }

    /** What a joiner does with a ratchet_tree extension: decode, build, validate. */
    private static RatchetTree join(byte[] wire, Bytes expectedHash) throws MlsException {
        RatchetTree t = RatchetTree.fromExtension(TreeFixtures.CRYPTO, TlsReader.decode(wire, RatchetTreeExtension::readFrom));
        TreeValidator.validate(t, TreeFixtures.GROUP_ID, expectedHash == null ? t.treeHash() : expectedHash);
        return t;
    }

    private static byte[] encode(List<Optional<Node>> nodes) {
        return new RatchetTreeExtension(nodes).toByteArray();
    }

    private static List<Optional<Node>> edit(RatchetTree t, int index, UnaryOperator<Node> change) {
        List<Optional<Node>> nodes = new ArrayList<>(t.toNodes());
        nodes.set(index, nodes.get(index).map(change));
        return nodes;
    }

    private static ParentNode withUnmerged(Node n, LeafIndex... leaves) {
        ParentNode p = (ParentNode) n;
        return new ParentNode(p.encryptionKey(), p.parentHash(), List.of(leaves));
    }

    @Test
    void theValidTreesPass() throws MlsException {
        assertThat(valid.parentNode(NodeIndex.of(7)).orElseThrow().unmergedLeaves()).containsExactly(LeafIndex.of(5));
        assertThat(valid.parentNode(NodeIndex.of(11)).orElseThrow().unmergedLeaves()).containsExactly(LeafIndex.of(5));
        assertThatCode(() -> join(encode(valid.toNodes()), valid.treeHash())).doesNotThrowAnyException();
        assertThatCode(() -> join(encode(flat.toNodes()), flat.treeHash())).doesNotThrowAnyException();
    }

    @Test
    void aTreeWithAnotherHashIsRejected() {
        assertThatThrownBy(() -> join(encode(valid.toNodes()), flat.treeHash()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§12.4.3.1").hasMessageContaining("hash");
    }

    @Test
    void aNodeListEndingInABlankIsRejected() {
        List<Optional<Node>> nodes = new ArrayList<>(valid.toNodes());
        nodes.add(Optional.empty());
        nodes.add(Optional.empty());
        assertThatThrownBy(() -> join(encode(nodes), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§12.4.3.3").hasMessageContaining("blank");
        assertThatThrownBy(() -> join(encode(List.of()), null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> join(encode(List.of(Optional.empty())), null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void nodesOfTheWrongTypeForTheirPositionAreRejected() {
        List<Optional<Node>> nodes = new ArrayList<>(valid.toNodes());
        Optional<Node> leaf = nodes.get(0);
        nodes.set(0, nodes.get(1));
        assertThatThrownBy(() -> join(encode(nodes), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("must be a leaf");
        nodes.set(0, leaf);
        nodes.set(1, leaf);
        assertThatThrownBy(() -> join(encode(nodes), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("must be a parent");
    }

    @Test
    void unmergedLeavesPointingOutsideTheSubtreeAreRejected() {
        // Node 1 covers leaves 0 and 1 only; leaf 4 is elsewhere (the closest an array tree gets to a cycle).
        assertThatThrownBy(() -> join(encode(edit(valid, 1, n -> withUnmerged(n, LeafIndex.of(4)))), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§12.4.3.1")
                .hasMessageContaining("not a descendant");
        assertThatThrownBy(() -> join(encode(edit(valid, 7, n -> withUnmerged(n, LeafIndex.of(Integer.MAX_VALUE)))),
                null)).isInstanceOf(ValidationException.class).hasMessageContaining("not a descendant");
    }

    @Test
    void inconsistentUnmergedLeavesAreRejected() {
        assertThatThrownBy(() -> join(encode(edit(valid, 7, n -> withUnmerged(n, LeafIndex.of(5), LeafIndex.of(7)))), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("blank leaf");
        assertThatThrownBy(() -> join(encode(edit(valid, 7, n -> withUnmerged(n, LeafIndex.of(5), LeafIndex.of(5)))),
                null)).isInstanceOf(ValidationException.class).hasMessageContaining("twice");
        // Node 11 lies between leaf 5 and the root 7 and is not blank, so it must list leaf 5 too.
        assertThatThrownBy(() -> join(encode(edit(valid, 11, n -> withUnmerged(n))), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("does not list it");
    }

    @Test
    void duplicateEncryptionKeysAreRejected() {
        Bytes other = ((LeafNode) valid.toNodes().get(2).orElseThrow()).encryptionKey();
        assertThatThrownBy(() -> join(encode(edit(valid, 5, n -> {
            ParentNode p = (ParentNode) n;
            return new ParentNode(other, p.parentHash(), p.unmergedLeaves());
        })), null)).isInstanceOf(ValidationException.class).hasMessageContaining("same encryption key");
        assertThatThrownBy(() -> join(encode(edit(flat, 4, n -> {
            LeafNode l = (LeafNode) n;
            return new LeafNode(other(flat), l.signatureKey(), l.credential(), l.capabilities(), l.source(),
                    l.lifetime(), l.parentHash(), l.extensions(), l.signature());
        })), null)).isInstanceOf(ValidationException.class).hasMessageContaining("same encryption key");
    }

    private static Bytes other(RatchetTree t) {
        return t.leaf(LeafIndex.of(0)).orElseThrow().encryptionKey();
    }

    @Test
    void aParentHashChainThatDoesNotVerifyIsRejected() {
        assertThatThrownBy(() -> join(encode(edit(valid, 3, n -> {
            ParentNode p = (ParentNode) n;
            byte[] h = p.parentHash().toByteArray();
            h[0] ^= 1;
            return new ParentNode(p.encryptionKey(), Bytes.wrap(h), p.unmergedLeaves());
        })), null)).isInstanceOf(ValidationException.class).hasMessageContaining("§7.9.2");
        // A parent key replaced after the fact: the chain below it no longer hashes to it.
        Bytes fresh = TreeFixtures.CRYPTO.generateHpkeKeyPair().publicKey();
        assertThatThrownBy(() -> join(encode(edit(valid, 7, n -> {
            ParentNode p = (ParentNode) n;
            return new ParentNode(fresh, p.parentHash(), p.unmergedLeaves());
        })), null)).isInstanceOf(ValidationException.class).hasMessageContaining("§7.9.2");
        // Forgetting an unmerged leaf everywhere is consistent, but the chain was built without it.
        List<Optional<Node>> forgotten = new ArrayList<>(valid.toNodes());
        forgotten.set(7, forgotten.get(7).map(n -> withUnmerged(n)));
        forgotten.set(11, forgotten.get(11).map(n -> withUnmerged(n)));
        assertThatThrownBy(() -> join(encode(forgotten), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§7.9.2");
    }

    @Test
    void aLeafWithABadSignatureIsRejected() {
        assertThatThrownBy(() -> join(encode(edit(flat, 2, n -> {
            LeafNode l = (LeafNode) n;
            byte[] s = l.signature().toByteArray();
            s[5] ^= 0x40;
            return l.withSignature(Bytes.wrap(s));
        })), null)).isInstanceOf(ValidationException.class).hasMessageContaining("§7.3")
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> join(encode(edit(flat, 2, n -> ((LeafNode) n).withSignature(Bytes.fromHex("00")))),
                null)).isInstanceOf(MlsException.class);
        assertThatThrownBy(() -> join(encode(edit(flat, 2, n -> {
            LeafNode l = (LeafNode) n;
            return new LeafNode(l.encryptionKey(), Bytes.fromHex("0102"), l.credential(), l.capabilities(), l.source(),
                    l.lifetime(), l.parentHash(), l.extensions(), l.signature());
        })), null)).isInstanceOf(MlsException.class);
    }

    @Test
    @Timeout(60) // a safety net against quadratic checks, not a performance assertion
    void longUnmergedListsAreCheckedInLinearTime() {
        // 8,192 leaves; every parent non-blank and listing every leaf below it as unmerged
        // (consistent, ~100,000 entries in all), so the structure passes and the parent hashes
        // (random) are what fails. Quadratic list lookups would take minutes here.
        int leaves = 8192;
        Random random = new Random(11);
        List<Optional<Node>> nodes = new ArrayList<>();
        for (int i = 0; i < 2 * leaves - 1; i++) {
            if ((i & 1) == 0) {
                nodes.add(Optional.of(TreeFixtures.fakeLeaf(random)));
            } else {
                int level = TreeMath.level(NodeIndex.of(i));
                int first = (i - ((1 << level) - 1)) / 2;
                List<LeafIndex> below = new ArrayList<>();
                for (int l = first; l < first + (1 << level); l++) {
                    below.add(LeafIndex.of(l));
                }
                byte[] key = new byte[32];
                random.nextBytes(key);
                nodes.add(Optional.of(new ParentNode(Bytes.wrap(key), Bytes.fromHex("01"), below)));
            }
        }
        assertThatThrownBy(() -> {
            RatchetTree t = RatchetTree.fromNodes(TreeFixtures.CRYPTO, nodes);
            TreeValidator.validate(t, TreeFixtures.GROUP_ID, t.treeHash());
        }).isInstanceOf(ValidationException.class).hasMessageContaining("§7.9.2");
    }

    @Test
    void randomCorruptionOnlyEverFailsAsMlsException() {
        byte[] wire = encode(valid.toNodes());
        Random random = new Random(7);
        int accepted = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] bad = wire.clone();
            switch (round % 3) {
                case 0 -> bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                default -> bad = Arrays.copyOf(bad, random.nextInt(bad.length));
            }
            byte[] input = bad;
            if (Arrays.equals(input, wire)) {
                continue;
            }
            try {
                join(input, valid.treeHash());
                accepted++;
            } catch (MlsException expected) {
                // refused cleanly
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " escaped as " + e, e);
            }
        }
        assertThat(accepted).isZero();
    }
}
