package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.LeafNode;

/**
 * Leaf signatures of a large tree are checked on every core; the outcome must not depend on
 * it: a tree with bad leaves is rejected, naming the lowest bad leaf, whatever the scheduling.
 */
class ParallelLeafSignaturesTest {
    private static final int MEMBERS = 300;
    private static final List<LeafNode> LEAVES = new ArrayList<>();

    @BeforeAll
    static void members() throws MlsException {
        for (int i = 0; i < MEMBERS; i++) {
            LEAVES.add(TreeFixtures.member("m" + i).leaf());
        }
    }

    private static RatchetTree treeWithBadLeaves(int... bad) {
        List<LeafNode> leaves = new ArrayList<>(LEAVES);
        for (int b : bad) {
            byte[] sig = leaves.get(b).signature().toByteArray();
            sig[5] ^= 1;
            leaves.set(b, leaves.get(b).withSignature(Bytes.wrap(sig)));
        }
        RatchetTree t = RatchetTree.create(TreeFixtures.CRYPTO, leaves.get(0));
        for (int i = 1; i < leaves.size(); i++) {
            t = t.addLeaf(leaves.get(i)).tree();
        }
        return t;
    }

    @Test
    void allGoodLeavesPass() {
        assertThatCode(() -> TreeValidator.verifyLeafSignatures(treeWithBadLeaves(), TreeFixtures.GROUP_ID))
                .doesNotThrowAnyException();
    }

    @Test
    void theLowestBadLeafIsNamed() {
        RatchetTree tree = treeWithBadLeaves(277, 131, 250);
        for (int run = 0; run < 5; run++) {
            assertThatThrownBy(() -> TreeValidator.verifyLeafSignatures(tree, TreeFixtures.GROUP_ID))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("§7.3: the signature of leaf 131 does not verify");
        }
    }

    @Test
    void anUnusableKeyIsAValidationExceptionToo() {
        List<LeafNode> leaves = new ArrayList<>(LEAVES);
        LeafNode l = leaves.get(200);
        LeafNode broken = new LeafNode(l.encryptionKey(), Bytes.fromHex("01"), l.credential(), l.capabilities(),
                l.source(), l.lifetime(), l.parentHash(), l.extensions(), l.signature());
        RatchetTree t = RatchetTree.create(TreeFixtures.CRYPTO, leaves.get(0));
        for (int i = 1; i < leaves.size(); i++) {
            t = t.addLeaf(i == 200 ? broken : leaves.get(i)).tree();
        }
        RatchetTree tree = t;
        assertThatThrownBy(() -> TreeValidator.verifyLeafSignatures(tree, TreeFixtures.GROUP_ID))
                .isInstanceOf(ValidationException.class).hasMessageContaining("leaf 200");
    }
}
