package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;

/** The tree's key indexes, carried along by every change, always agree with a scan of the tree. */
class KeyIndexTest {
    @Test
    void persistentMultimapAgreesWithAPlainModel() {
        Random r = new Random(7);
        KeyIndex ix = KeyIndex.EMPTY;
        java.util.Map<Bytes, java.util.TreeSet<Integer>> model = new java.util.HashMap<>();
        List<Bytes> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] k = new byte[r.nextInt(4) == 0 ? 1 : 32];
            r.nextBytes(k);
            keys.add(Bytes.wrap(k));
        }
        KeyIndex before = ix;
        for (int step = 0; step < 20_000; step++) {
            Bytes k = keys.get(r.nextInt(keys.size()));
            int pos = r.nextInt(4);
            if (r.nextBoolean()) {
                if (model.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(pos)) {
                    ix = ix.with(k, pos);
                }
            } else {
                java.util.TreeSet<Integer> set = model.get(k);
                ix = ix.without(k, pos);
                if (set != null) {
                    set.remove(pos);
                }
            }
            if (step % 997 == 0) {
                for (Bytes key : keys) {
                    int[] expected = model.getOrDefault(key, new java.util.TreeSet<>()).stream()
                            .mapToInt(Integer::intValue).toArray();
                    assertThat(ix.get(key)).as("key " + key).containsExactly(expected);
                }
            }
        }
        assertThat(before.size()).isZero();
        assertThat(before.get(keys.get(0))).isEmpty();
    }

    @Test
    void indexFollowsEveryKindOfChange() {
        Random r = new Random(11);
        RatchetTree t = TreeFixtures.fakeTree(TreeFixtures.CRYPTO, 40, r);
        t.nodesWithEncryptionKey(Bytes.EMPTY); // build once; from here on every version is derived
        for (int step = 0; step < 400; step++) {
            List<LeafIndex> members = t.members();
            int op = r.nextInt(4);
            if (op == 0 || members.size() < 3) {
                t = t.addLeaf(TreeFixtures.fakeLeaf(r)).tree();
            } else if (op == 1) {
                t = t.removeLeaf(members.get(r.nextInt(members.size())));
            } else if (op == 2) {
                t = t.updateLeaf(members.get(r.nextInt(members.size())), TreeFixtures.fakeLeaf(r));
            } else {
                LeafIndex who = members.get(r.nextInt(members.size()));
                List<NodeIndex> path = t.filteredDirectPath(who);
                List<ParentNode> parents = new ArrayList<>();
                for (int i = 0; i < path.size(); i++) {
                    parents.add(new ParentNode(randomKey(r), randomKey(r), List.of()));
                }
                t = t.withPath(who, TreeFixtures.fakeLeaf(r), path, parents);
            }
            if (step % 7 == 0) {
                assertAgreesWithScan(t, r);
            }
        }
        assertAgreesWithScan(t, r);
    }

    @Test
    void aKeyHeldTwiceInAHostileTreeStaysIndexedUntilBothAreGone() throws Exception {
        Random r = new Random(3);
        LeafNode a = TreeFixtures.fakeLeaf(r);
        LeafNode b = TreeFixtures.fakeLeaf(r);
        LeafNode twin = new LeafNode(a.encryptionKey(), b.signatureKey(), b.credential(), b.capabilities(), b.source(),
                b.lifetime(), b.parentHash(), b.extensions(), b.signature());
        List<Optional<Node>> nodes = List.of(Optional.of(a), Optional.empty(), Optional.of(TreeFixtures.fakeLeaf(r)),
                Optional.empty(), Optional.of(twin));
        RatchetTree t = RatchetTree.fromNodes(TreeFixtures.CRYPTO, nodes);
        assertThat(t.nodesWithEncryptionKey(a.encryptionKey())).containsExactly(NodeIndex.of(0), NodeIndex.of(4));
        RatchetTree without0 = t.removeLeaf(LeafIndex.of(0));
        assertThat(without0.nodesWithEncryptionKey(a.encryptionKey())).containsExactly(NodeIndex.of(4));
        assertThat(without0.removeLeaf(LeafIndex.of(2)).nodesWithEncryptionKey(a.encryptionKey())).isEmpty();
        assertThat(t.nodesWithEncryptionKey(a.encryptionKey())).hasSize(2);
    }

    private static void assertAgreesWithScan(RatchetTree t, Random r) {
        List<Bytes> encKeys = new ArrayList<>();
        List<Bytes> sigKeys = new ArrayList<>();
        t.forEachNode((x, n) -> {
            encKeys.add(t.encryptionKey(x));
            if (n instanceof LeafNode l) {
                sigKeys.add(l.signatureKey());
            }
        });
        java.util.Map<Integer, Integer> inUse = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> supported = new java.util.HashMap<>();
        t.forEachLeaf((i, l) -> {
            inUse.merge(l.credential().type(), 1, Integer::sum);
            new HashSet<>(l.capabilities().credentials()).forEach(c -> supported.merge(c, 1, Integer::sum));
        });
        assertThat(t.credentialTypesInUse()).isEqualTo(inUse.keySet());
        for (int type = 0; type < 4; type++) {
            assertThat(t.membersWithCredentialType(type)).isEqualTo(inUse.getOrDefault(type, 0));
            assertThat(t.membersSupportingCredentialType(type)).isEqualTo(supported.getOrDefault(type, 0));
        }
        encKeys.add(randomKey(r));
        sigKeys.add(randomKey(r));
        for (Bytes k : encKeys) {
            List<NodeIndex> expected = new ArrayList<>();
            t.forEachNode((x, n) -> {
                if (t.encryptionKey(x).equals(k)) {
                    expected.add(x);
                }
            });
            assertThat(t.nodesWithEncryptionKey(k)).isEqualTo(expected);
        }
        Set<Bytes> seen = new HashSet<>();
        for (Bytes k : sigKeys) {
            if (!seen.add(k)) {
                continue;
            }
            List<LeafIndex> expected = new ArrayList<>();
            t.forEachLeaf((i, l) -> {
                if (l.signatureKey().equals(k)) {
                    expected.add(i);
                }
            });
            assertThat(t.leavesWithSignatureKey(k)).isEqualTo(expected);
        }
    }

    private static Bytes randomKey(Random r) {
        byte[] k = new byte[32];
        r.nextBytes(k);
        return Bytes.wrap(k);
    }
}
