package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.UpdatePathNode;

class TreeKemTest {
    private static SimulatedGroup group(int n) throws MlsException {
        SimulatedGroup g = new SimulatedGroup(TreeFixtures.member("m0"));
        for (int i = 1; i < n; i++) {
            g.add(TreeFixtures.member("m" + i));
        }
        return g;
    }

    @Test
    void everyMemberCanCommitAndEveryOtherAgreesOnTheCommitSecret() throws MlsException {
        SimulatedGroup g = group(5);
        for (LeafIndex sender : new ArrayList<>(g.members.keySet())) {
            g.commit(sender, Set.of());
        }
        // After everyone committed, a parent holds a key exactly when members sit on both sides of it.
        for (int i = 1; i < g.tree.nodeWidth(); i += 2) {
            NodeIndex x = NodeIndex.of(i);
            boolean bothSides = !g.tree.resolution(TreeMath.left(x)).isEmpty()
                    && !g.tree.resolution(TreeMath.right(x)).isEmpty();
            assertThat(g.tree.isBlank(x)).as("node %d", i).isEqualTo(!bothSides);
        }
    }

    @Test
    void unmergedLeavesReceivePathSecretsAndMergeOnTheNextCommit() throws MlsException {
        SimulatedGroup g = group(3);
        g.commit(LeafIndex.of(0), Set.of());
        LeafIndex late = g.add(TreeFixtures.member("late"));
        assertThat(g.tree.parentNode(g.tree.rootIndex()).orElseThrow().unmergedLeaves()).containsExactly(late);
        assertThat(g.tree.resolution(TreeMath.sibling(NodeIndex.of(1), g.tree.leafCount())))
                .contains(late.toNode());
        g.commit(LeafIndex.of(2), Set.of());
        g.commit(late, Set.of());
        g.commit(LeafIndex.of(1), Set.of());
    }

    @Test
    void newJoinersAreExcludedAndUseTheWelcomePathSecret() throws MlsException {
        SimulatedGroup g = group(3);
        g.commit(LeafIndex.of(0), Set.of());
        LeafIndex j1 = g.add(TreeFixtures.member("j1"));
        LeafIndex j2 = g.add(TreeFixtures.member("j2"));
        g.commit(LeafIndex.of(1), Set.of(j1, j2));
        g.commit(j2, Set.of());
    }

    @Test
    void removalsBlankPathsAndStaleKeysAreDropped() throws MlsException {
        SimulatedGroup g = group(6);
        g.commit(LeafIndex.of(5), Set.of());
        g.remove(LeafIndex.of(4));
        g.remove(LeafIndex.of(5));
        assertThat(g.tree.leafCount()).isEqualTo(4);
        g.checkPrivateKeysMatch();
        g.commit(LeafIndex.of(3), Set.of());
        g.commit(LeafIndex.of(0), Set.of());
    }

    @Test
    void aOneMemberGroupHasAnEmptyPath() throws MlsException {
        SimulatedGroup g = group(1);
        Bytes first = Bytes.wrap(g.commit(LeafIndex.of(0), Set.of()).copy());
        Bytes second = Bytes.wrap(g.commit(LeafIndex.of(0), Set.of()).copy());
        assertThat(first).isNotEqualTo(second);
        assertThat(g.tree.toNodes()).hasSize(1);
    }

    private static PreparedPath prepare(SimulatedGroup g, LeafIndex sender) throws MlsException {
        return TreeKem.preparePath(g.tree, sender, new SecureRandom(), TreeKem.resigning(TreeFixtures.CRYPTO,
                g.tree.leaf(sender).orElseThrow(), g.members.get(sender).signature().privateKey(),
                TreeFixtures.GROUP_ID, sender));
    }

    @Test
    void aPathWithTheWrongNumberOfNodesIsRejected() throws MlsException {
        SimulatedGroup g = group(4);
        PreparedPath p = prepare(g, LeafIndex.of(0));
        UpdatePath path = p.encrypt(g.context(p.tree()), Set.of());
        UpdatePath shorter = new UpdatePath(path.leafNode(), path.nodes().subList(0, 1));
        assertThatThrownBy(() -> TreeKem.mergePath(g.tree, LeafIndex.of(0), shorter))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§12.4.2");
    }

    @Test
    void aPathWhoseKeysDoNotMatchTheSignedParentHashIsRejected() throws MlsException {
        SimulatedGroup g = group(4);
        PreparedPath p = prepare(g, LeafIndex.of(0));
        UpdatePath path = p.encrypt(g.context(p.tree()), Set.of());
        List<UpdatePathNode> nodes = new ArrayList<>(path.nodes());
        nodes.set(1, new UpdatePathNode(TreeFixtures.CRYPTO.generateHpkeKeyPair().publicKey(),
                nodes.get(1).encryptedPathSecret()));
        UpdatePath forged = new UpdatePath(path.leafNode(), nodes);
        assertThatThrownBy(() -> TreeKem.mergePath(g.tree, LeafIndex.of(0), forged))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§7.9.2");
    }

    @Test
    void pathSecretsThatDoNotDeriveThePublishedKeysAreRejected() throws MlsException {
        SimulatedGroup g = group(4);
        PreparedPath honest = prepare(g, LeafIndex.of(0));
        PreparedPath other = prepare(g, LeafIndex.of(0));
        byte[] ctx = g.context(honest.tree());
        UpdatePath good = honest.encrypt(ctx, Set.of());
        UpdatePath wrongSecrets = other.encrypt(ctx, Set.of());
        List<UpdatePathNode> nodes = new ArrayList<>();
        for (int i = 0; i < good.nodes().size(); i++) {
            nodes.add(new UpdatePathNode(good.nodes().get(i).encryptionKey(),
                    wrongSecrets.nodes().get(i).encryptedPathSecret()));
        }
        UpdatePath forged = new UpdatePath(good.leafNode(), nodes);
        RatchetTree merged = TreeKem.mergePath(g.tree, LeafIndex.of(0), forged);
        assertThatThrownBy(() -> TreeKem.decryptPath(merged, LeafIndex.of(0), forged, LeafIndex.of(3),
                g.keys.get(LeafIndex.of(3)), ctx, Set.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("does not match");
    }

    @Test
    void aTamperedCiphertextOrWrongContextFailsAsCryptoException() throws MlsException {
        SimulatedGroup g = group(2);
        PreparedPath p = prepare(g, LeafIndex.of(0));
        byte[] ctx = g.context(p.tree());
        UpdatePath path = p.encrypt(ctx, Set.of());
        RatchetTree merged = TreeKem.mergePath(g.tree, LeafIndex.of(0), path);
        byte[] otherCtx = ctx.clone();
        otherCtx[otherCtx.length - 1] ^= 1;
        assertThatThrownBy(() -> TreeKem.decryptPath(merged, LeafIndex.of(0), path, LeafIndex.of(1),
                g.keys.get(LeafIndex.of(1)), otherCtx, Set.of())).isInstanceOf(CryptoException.class);
        HpkeCiphertext ct = path.nodes().get(0).encryptedPathSecret().get(0);
        byte[] c = ct.ciphertext().toByteArray();
        c[0] ^= 1;
        UpdatePath tampered = new UpdatePath(path.leafNode(), List.of(new UpdatePathNode(
                path.nodes().get(0).encryptionKey(), List.of(new HpkeCiphertext(ct.kemOutput(), Bytes.wrap(c))))));
        assertThatThrownBy(() -> TreeKem.decryptPath(merged, LeafIndex.of(0), tampered, LeafIndex.of(1),
                g.keys.get(LeafIndex.of(1)), ctx, Set.of())).isInstanceOf(MlsException.class);
    }

    @Test
    void aLeafThatIsNotACommitLeafIsRejected() throws MlsException {
        SimulatedGroup g = group(2);
        PreparedPath p = prepare(g, LeafIndex.of(0));
        UpdatePath path = p.encrypt(g.context(p.tree()), Set.of());
        LeafNode keyPackageLeaf = g.members.get(LeafIndex.of(1)).leaf();
        UpdatePath forged = new UpdatePath(keyPackageLeaf, path.nodes());
        assertThatThrownBy(() -> TreeKem.mergePath(g.tree, LeafIndex.of(0), forged))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§7.3");
    }

    @Test
    void aPathReusingAnEncryptionKeyOfTheTreeIsRejected() throws MlsException {
        SimulatedGroup g = group(4);
        PreparedPath p = prepare(g, LeafIndex.of(0));
        UpdatePath path = p.encrypt(g.context(p.tree()), Set.of());
        // A committer cannot make its leaf key another member's: the leaf is re-signed with that key.
        Bytes stolen = g.tree.leaf(LeafIndex.of(2)).orElseThrow().encryptionKey();
        LeafNode leaf = TreeKem.resigning(TreeFixtures.CRYPTO, g.tree.leaf(LeafIndex.of(0)).orElseThrow(),
                g.members.get(LeafIndex.of(0)).signature().privateKey(), TreeFixtures.GROUP_ID, LeafIndex.of(0))
                .sign(stolen, path.leafNode().parentHash().orElseThrow());
        UpdatePath forged = new UpdatePath(leaf, path.nodes());
        assertThatThrownBy(() -> TreeKem.mergePath(g.tree, LeafIndex.of(0), forged))
                .isInstanceOf(ValidationException.class).hasMessageContaining("same encryption key");
    }

    @Test
    void largeResolutionsAreSealedInOrderForEveryRecipient() throws MlsException {
        // 150 members added without commits: leaf 0 seals to a resolution of 64 leaves (64..127),
        // on every core; every member must still find and open its own ciphertext.
        SimulatedGroup g = group(150);
        g.commit(LeafIndex.of(0), Set.of(LeafIndex.of(140)));
        g.commit(LeafIndex.of(149), Set.of());
    }

    @Test
    void aPathLeafWithAnotherMembersSignatureKeyIsRejected() throws MlsException {
        SimulatedGroup g = group(4);
        PreparedPath p = prepare(g, LeafIndex.of(0));
        UpdatePath path = p.encrypt(g.context(p.tree()), Set.of());
        LeafNode other = g.tree.leaf(LeafIndex.of(2)).orElseThrow();
        LeafNode mine = path.leafNode();
        LeafNode forged = new LeafNode(mine.encryptionKey(), other.signatureKey(), mine.credential(),
                mine.capabilities(), mine.source(), mine.lifetime(), mine.parentHash(), mine.extensions(),
                mine.signature());
        assertThatThrownBy(() -> TreeKem.mergePath(g.tree, LeafIndex.of(0), new UpdatePath(forged, path.nodes())))
                .isInstanceOf(ValidationException.class).hasMessageContaining("signature key of node 4");
    }

    @Test
    void corruptedUpdatePathsOnlyEverFailAsMlsException() throws MlsException {
        SimulatedGroup g = group(5);
        g.commit(LeafIndex.of(4), Set.of());
        PreparedPath p = prepare(g, LeafIndex.of(1));
        byte[] ctx = g.context(p.tree());
        byte[] wire = p.encrypt(ctx, Set.of()).toByteArray();
        Random random = new Random(5);
        int accepted = 0;
        for (int round = 0; round < 400; round++) {
            byte[] bad = wire.clone();
            if (round % 2 == 0) {
                bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            } else {
                bad = Arrays.copyOf(bad, random.nextInt(bad.length));
            }
            try {
                UpdatePath path = TlsReader.decode(bad, UpdatePath::readFrom);
                RatchetTree merged = TreeKem.mergePath(g.tree, LeafIndex.of(1), path, TreeFixtures.GROUP_ID);
                TreeKem.decryptPath(merged, LeafIndex.of(1), path, LeafIndex.of(3), g.keys.get(LeafIndex.of(3)),
                        g.context(merged), Set.of());
                accepted++;
            } catch (MlsException expected) {
                // refused cleanly
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " escaped as " + e, e);
            }
        }
        // Flips inside a ciphertext for another member are not ours to notice; anything else is.
        assertThat(accepted).isLessThan(100);
    }

    @Test
    void mergedTreesInheritTheKeyIndexesInsteadOfRebuildingThem() throws MlsException {
        SimulatedGroup g = group(4);
        g.commit(LeafIndex.of(2), Set.of());
        PreparedPath p = prepare(g, LeafIndex.of(0));
        UpdatePath path = p.encrypt(g.context(p.tree()), Set.of());
        RatchetTree base = RatchetTree.fromNodes(TreeFixtures.CRYPTO, g.tree.toNodes());
        assertThat(base.hasIndexes()).isFalse();
        RatchetTree merged = TreeKem.mergePath(base, LeafIndex.of(0), path);
        assertThat(base.hasIndexes()).isTrue();
        assertThat(merged.hasIndexes()).isTrue();
        assertThat(merged.removeLeaf(LeafIndex.of(3)).hasIndexes()).isTrue();
    }

    @Test
    void stagingLeavesTheCurrentTreeAndKeysUntouched() throws MlsException {
        SimulatedGroup g = group(4);
        g.commit(LeafIndex.of(1), Set.of());
        RatchetTree before = g.tree;
        Bytes hash = before.treeHash();
        List<?> nodes = before.toNodes();
        TreePrivateKeys keys = g.keys.get(LeafIndex.of(2));
        PreparedPath p = prepare(g, LeafIndex.of(0));
        p.encrypt(g.context(p.tree()), Set.of());
        assertThat(before.treeHash()).isEqualTo(hash);
        assertThat(before.toNodes()).isEqualTo(nodes);
        assertThat(g.keys.get(LeafIndex.of(2))).isSameAs(keys);
        assertThat(p.tree().treeHash()).isNotEqualTo(hash);
    }
}
