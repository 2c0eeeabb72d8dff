package org.mlsbridge.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeMath;
import org.mlsbridge.mls.tree.TreeValidator;

class GroupFixtureTest {
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    private static final GroupConfig CONFIG = GroupConfig.DEFAULT;
    private static final SuiteCrypto CRYPTO = CONFIG.crypto().suite(SUITE);
    private static final Bytes GROUP = Bytes.wrap("fixture-test".getBytes(StandardCharsets.US_ASCII));

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 13, 16, 37})
    void fullShapePassesAJoinersTreeChecksWithEveryParentSet(int n) throws Exception {
        List<Member> members = Member.generate(CONFIG.crypto(), SUITE, "m", n);
        GroupFixture fixture = GroupFixture.full(CRYPTO, CONFIG, GROUP, members);
        RatchetTree tree = fixture.tree();

        TreeValidator.validate(tree, GROUP, tree.treeHash());
        for (int x = 1; x < tree.nodeWidth(); x += 2) {
            NodeIndex p = NodeIndex.of(x);
            boolean membersOnBothSides = !tree.resolution(TreeMath.left(p)).isEmpty()
                    && !tree.resolution(TreeMath.right(p)).isEmpty();
            assertThat(tree.isBlank(p)).as("node " + x).isEqualTo(!membersOnBothSides);
        }
        // Every member holds the private keys of its whole direct path.
        for (int leaf = 0; leaf < n; leaf++) {
            GroupState s = fixture.stateOf(LeafIndex.of(leaf));
            long setAbove = TreeMath.directPath(LeafIndex.of(leaf).toNode(), tree.leafCount()).stream()
                    .filter(x -> !tree.isBlank(x)).count();
            assertThat(s.privateKeys().size()).isEqualTo(1 + (int) setAbove);
        }
    }

    @Test
    void sparseShapeIsTheTreeAfterTheBulkAdd() throws Exception {
        List<Member> members = Member.generate(CONFIG.crypto(), SUITE, "m", 9);
        GroupFixture fixture = GroupFixture.sparse(CRYPTO, CONFIG, GROUP, members);
        GroupSender sender = new GroupSender(CONFIG);
        GroupState creator = sender.create(members.get(0).identity(), GROUP);
        List<KeyPackage> kps = members.subList(1, 9).stream().map(m -> m.bundle().keyPackage()).toList();

        RatchetTree built = sender.add(creator, kps, false).next().tree();

        // The creator's own leaf differs (the group makes it); every other node is the same.
        List<?> builtNodes = built.toNodes();
        List<?> fixtureNodes = fixture.tree().toNodes();
        assertThat(builtNodes).hasSameSizeAs(fixtureNodes);
        assertThat(builtNodes.subList(1, builtNodes.size())).isEqualTo(fixtureNodes.subList(1, fixtureNodes.size()));
    }
}
