package org.mlsbridge.mls.tree;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ParentNode;
import org.mlsbridge.mls.message.UpdatePath;

/**
 * A measurement, not a test: the cost of one commit's UpdatePath in a fully keyed tree (every
 * parent above a member holds a key, no unmerged leaves), for the committer (prepare, provisional
 * tree hash, encrypt) and for one receiver (verify leaf signature, merge, tree hash, decrypt and
 * derive). Run like {@link TreeHashBench}: {@code java -cp ... org.mlsbridge.mls.tree.TreeKemBench [sizes...]}.
 */
public final class TreeKemBench {
    private TreeKemBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 50_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("%8s %8s %12s %14s %14s%n", "members", "path", "ciphertexts", "commit (ms)", "process (ms)");
        for (int n : sizes) {
            run(n, 5, false);
            run(n, 25, true);
        }
    }

    private static void run(int n, int rounds, boolean print) throws Exception {
        Random random = new Random(n);
        int leaves = Integer.highestOneBit(Math.max(1, n - 1)) << 1;
        LeafIndex sender = LeafIndex.of(n / 3);
        LeafIndex receiver = LeafIndex.of(n - 1);
        TreeFixtures.Member s = TreeFixtures.member("sender");
        TreeFixtures.Member r = TreeFixtures.member("receiver");
        List<Optional<Node>> nodes = new ArrayList<>();
        Map<NodeIndex, HpkeKeyPair> parentKeys = new HashMap<>();
        for (int i = 0; i < 2 * leaves - 1; i++) {
            NodeIndex x = NodeIndex.of(i);
            if (x.isLeaf()) {
                int l = i / 2;
                nodes.add(l >= n ? Optional.empty() : Optional.of(l == sender.value() ? s.leaf()
                        : l == receiver.value() ? r.leaf() : TreeFixtures.fakeLeaf(random)));
            } else {
                int level = TreeMath.level(x);
                int firstLeaf = (i - ((1 << level) - 1)) / 2;
                if (firstLeaf < n) {
                    HpkeKeyPair pair = TreeFixtures.CRYPTO.generateHpkeKeyPair();
                    parentKeys.put(x, pair);
                    nodes.add(Optional.of(new ParentNode(pair.publicKey(), Bytes.EMPTY, List.of())));
                } else {
                    nodes.add(Optional.empty());
                }
            }
        }
        while (nodes.get(nodes.size() - 1).isEmpty()) {
            nodes.remove(nodes.size() - 1);
        }
        RatchetTree tree = RatchetTree.fromNodes(TreeFixtures.CRYPTO, nodes);
        tree.treeHash();
        TreePrivateKeys mine = TreePrivateKeys.ofLeaf(receiver, r.encryption());
        for (NodeIndex p : TreeMath.directPath(receiver.toNode(), tree.leafCount())) {
            if (parentKeys.containsKey(p)) {
                mine = mine.with(p, parentKeys.get(p));
            }
        }
        SecureRandom secure = new SecureRandom();
        long[] commit = new long[rounds];
        long[] process = new long[rounds];
        int ciphertexts = 0;
        int pathLength = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            PreparedPath prepared = TreeKem.preparePath(tree, sender, secure, TreeKem.resigning(TreeFixtures.CRYPTO,
                    s.leaf(), s.signature().privateKey(), TreeFixtures.GROUP_ID, sender));
            UpdatePath path = prepared.encrypt(context(prepared.tree()), Set.of());
            long t1 = System.nanoTime();
            RatchetTree merged = TreeKem.mergePath(tree, sender, path, TreeFixtures.GROUP_ID);
            ReceivedPath received = TreeKem.decryptPath(merged, sender, path, receiver, mine, context(merged),
                    Set.of());
            long t2 = System.nanoTime();
            if (!Arrays.equals(received.commitSecret().copy(), prepared.commitSecret().copy())) {
                throw new AssertionError("commit secrets differ");
            }
            commit[round] = t1 - t0;
            process[round] = t2 - t1;
            pathLength = path.nodes().size();
            ciphertexts = path.nodes().stream().mapToInt(u -> u.encryptedPathSecret().size()).sum();
        }
        if (print) {
            System.out.printf("%8d %8d %12d %14.1f %14.1f%n", n, pathLength, ciphertexts, median(commit) / 1e6,
                    median(process) / 1e6);
        }
    }

    private static byte[] context(RatchetTree t) {
        return new GroupContext(GroupContext.MLS10, TreeFixtures.SUITE, TreeFixtures.GROUP_ID, 1, t.treeHash(),
                Bytes.fromHex("00"), List.of()).toByteArray();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
