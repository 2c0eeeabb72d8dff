package org.mlsbridge.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.UpdatePath;

/**
 * Just enough of a group for TreeKEM tests: one public tree, each member's private keys, and
 * commits that every other member processes from the wire bytes of the UpdatePath.
 */
final class SimulatedGroup {
    final Map<LeafIndex, TreeFixtures.Member> members = new LinkedHashMap<>();
    final Map<LeafIndex, TreePrivateKeys> keys = new LinkedHashMap<>();
    RatchetTree tree;
    long epoch;
    private final SecureRandom random = new SecureRandom();

    SimulatedGroup(TreeFixtures.Member creator) {
        tree = RatchetTree.create(TreeFixtures.CRYPTO, creator.leaf());
        members.put(LeafIndex.of(0), creator);
        keys.put(LeafIndex.of(0), TreePrivateKeys.ofLeaf(LeafIndex.of(0), creator.encryption()));
    }

    LeafIndex add(TreeFixtures.Member m) {
        RatchetTree.Added added = tree.addLeaf(m.leaf());
        tree = added.tree();
        members.put(added.leaf(), m);
        keys.put(added.leaf(), TreePrivateKeys.ofLeaf(added.leaf(), m.encryption()));
        return added.leaf();
    }

    void remove(LeafIndex leaf) {
        tree = tree.removeLeaf(leaf);
        members.remove(leaf);
        keys.remove(leaf);
        keys.replaceAll((l, k) -> k.retainMatching(tree));
    }

    byte[] context(RatchetTree t) {
        return new GroupContext(GroupContext.MLS10, TreeFixtures.SUITE, TreeFixtures.GROUP_ID, epoch + 1,
                t.treeHash(), Bytes.fromHex("00"), List.of()).toByteArray();
    }

    /** A commit with a path from {@code sender}; {@code joiners} get their path secret "by Welcome". */
    Secret commit(LeafIndex sender, Set<LeafIndex> joiners) throws MlsException {
        TreeFixtures.Member s = members.get(sender);
        PreparedPath prepared = TreeKem.preparePath(tree, sender, random, TreeKem.resigning(TreeFixtures.CRYPTO,
                tree.leaf(sender).orElseThrow(), s.signature().privateKey(), TreeFixtures.GROUP_ID, sender));
        byte[] ctx = context(prepared.tree());
        UpdatePath path = TlsReader.decode(prepared.encrypt(ctx, joiners).toByteArray(), UpdatePath::readFrom);
        for (int i = 0; i < path.nodes().size(); i++) {
            NodeIndex copath = prepared.steps().get(i).copathChild();
            assertThat(path.nodes().get(i).encryptedPathSecret()).hasSize(tree.resolution(copath, joiners).size());
        }
        Map<LeafIndex, TreePrivateKeys> next = new LinkedHashMap<>();
        next.put(sender, prepared.privateKeys());
        Set<Bytes> commitSecrets = new HashSet<>();
        commitSecrets.add(Bytes.wrap(prepared.commitSecret().copy()));
        for (LeafIndex m : members.keySet()) {
            if (m.equals(sender)) {
                continue;
            }
            RatchetTree merged = TreeKem.mergePath(tree, sender, path);
            assertThat(merged.treeHash()).isEqualTo(prepared.tree().treeHash());
            ReceivedPath received = joiners.contains(m)
                    ? TreeKem.fromPathSecret(merged, sender, m, prepared.pathSecretFor(m).orElseThrow(), keys.get(m))
                    : TreeKem.decryptPath(merged, sender, path, m, keys.get(m), ctx, joiners);
            commitSecrets.add(Bytes.wrap(received.commitSecret().copy()));
            next.put(m, received.privateKeys());
        }
        assertThat(commitSecrets).hasSize(1);
        TreeValidator.verifyParentHashes(prepared.tree());
        TreeValidator.verifyLeafSignatures(prepared.tree(), TreeFixtures.GROUP_ID);
        tree = prepared.tree();
        keys.putAll(next);
        epoch++;
        checkPrivateKeysMatch();
        return prepared.commitSecret();
    }

    /** Every private key a member holds matches the public tree, and covers its leaf. */
    void checkPrivateKeysMatch() {
        keys.forEach((leaf, k) -> {
            assertThat(k.nodes()).contains(leaf.toNode());
            for (NodeIndex n : k.nodes()) {
                assertThat(tree.encryptionKey(n)).isEqualTo(k.get(n).orElseThrow().publicKey());
                assertThat(TreeMath.isInSubtree(n, leaf.toNode())).isTrue();
            }
        });
    }
}
