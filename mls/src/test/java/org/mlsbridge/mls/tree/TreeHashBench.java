package org.mlsbridge.mls.tree;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.mlsbridge.mls.message.LeafNode;

/**
 * A measurement, not a test: the cost of the tree hash after a one-leaf change (an Update
 * proposal: new leaf, direct path blanked) at several group sizes, against hashing the whole
 * tree from scratch. Prints medians and the number of hash calls per re-hash, which should be
 * log2(width) + 1. Run with the test classpath (see docs/performance.md):
 * {@code java -cp ... org.mlsbridge.mls.tree.TreeHashBench [sizes...]}.
 */
public final class TreeHashBench {
    private TreeHashBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 4_000, 16_000, 50_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Random random = new Random(1);
        RatchetTree[] trees = new RatchetTree[sizes.length];
        double[] fullMillis = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            CountingCrypto crypto = new CountingCrypto(TreeFixtures.CRYPTO);
            trees[s] = TreeFixtures.fakeTree(crypto, sizes[s], random);
            long[] full = new long[5];
            for (int i = 0; i < full.length; i++) {
                RatchetTree fresh = RatchetTree.fromNodes(crypto, trees[s].toNodes());
                long start = System.nanoTime();
                fresh.treeHash();
                full[i] = System.nanoTime() - start;
            }
            fullMillis[s] = median(full) / 1e6;
            trees[s].treeHash();
        }
        // Warm-up: every size once, untimed, so the JIT has compiled the hot paths.
        for (RatchetTree t : trees) {
            measure(t, 5_000, random);
        }
        int passes = 5;
        double[][] stage = new double[sizes.length][passes];
        double[][] rehash = new double[sizes.length][passes];
        double[] hashes = new double[sizes.length];
        for (int p = 0; p < passes; p++) {
            for (int s = 0; s < sizes.length; s++) {
                Result r = measure(trees[s], 5_000, random);
                stage[s][p] = r.stageMicros();
                rehash[s][p] = r.rehashMicros();
                hashes[s] = r.hashesPerRehash();
            }
        }
        System.out.printf("%8s %8s %16s %12s %12s %14s%n", "members", "width", "full hash (ms)", "stage (us)",
                "rehash (us)", "hashes/rehash");
        for (int s = 0; s < sizes.length; s++) {
            System.out.printf("%8d %8d %16.1f %12.1f %12.1f %14.1f%n", sizes[s], trees[s].leafCount(),
                    fullMillis[s], median(stage[s]), median(rehash[s]), hashes[s]);
        }
    }

    private record Result(double stageMicros, double rehashMicros, double hashesPerRehash) {
    }

    private static Result measure(RatchetTree tree, int rounds, Random random) {
        CountingCrypto crypto = (CountingCrypto) tree.crypto();
        List<LeafIndex> members = tree.members();
        LeafNode[] fresh = new LeafNode[64];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = TreeFixtures.fakeLeaf(random);
        }
        long[] stage = new long[rounds];
        long[] rehash = new long[rounds];
        long hashes = 0;
        for (int r = 0; r < rounds; r++) {
            LeafIndex leaf = members.get(random.nextInt(members.size()));
            long t0 = System.nanoTime();
            RatchetTree changed = tree.updateLeaf(leaf, fresh[r % fresh.length]);
            long t1 = System.nanoTime();
            crypto.reset();
            changed.treeHash();
            long t2 = System.nanoTime();
            hashes += crypto.hashes();
            stage[r] = t1 - t0;
            rehash[r] = t2 - t1;
        }
        return new Result(median(stage) / 1e3, median(rehash) / 1e3, (double) hashes / rounds);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
