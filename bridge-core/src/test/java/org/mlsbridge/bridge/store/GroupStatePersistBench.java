package org.mlsbridge.bridge.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.mlsbridge.mls.codec.Bytes;

/**
 * What persisting one epoch change and loading a group cost, at several group sizes. Reads real
 * encoded states written by {@code org.mlsbridge.mls.group.GroupStateSampleWriter} (files
 * state-N-a.bin and state-N-b.bin: two consecutive epochs) from SAMPLE_DIR; sizes without files
 * get synthetic blobs of 744 bytes per member. Each round saves the other epoch's state in one
 * store transaction (synced commit), so every save is a real epoch change. Not a test: run by
 * hand, see docs/performance.md. Args: SAMPLE_DIR [N...]
 */
public final class GroupStatePersistBench {
    private static final int ROUNDS = 21;

    private GroupStatePersistBench() {
    }

    public static void main(String[] args) throws Exception {
        Path samples = Path.of(args[0]);
        int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {100, 1000, 10000};
        Path dir = Files.createTempDirectory("persist-bench");
        try {
            for (int n : sizes) {
                byte[][] states = load(samples, n);
                run(dir.resolve("bench-" + n + ".db"), n, states);
            }
            smallTransactions(dir.resolve("small.db"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The floor: a message's bookkeeping alone (dedup, inbox, outbox, cursor) in one synced commit. */
    private static void smallTransactions(Path db) {
        long[] t = new long[201];
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            for (int i = -20; i < t.length; i++) {
                int n = i;
                long start = System.nanoTime();
                store.transaction(tx -> {
                    tx.markDelivered("room", "m" + n);
                    tx.addInbox(new InboxMessage("m" + n, "room", "alice", Bytes.fromHex("0102030405")));
                    tx.enqueueOutbox(OutboxMessage.of("o" + n, "room", "mls", Bytes.fromHex("0a0b0c")));
                    tx.setCursor("room", Integer.toString(n));
                });
                if (n >= 0) {
                    t[n] = System.nanoTime() - start;
                }
            }
        }
        Arrays.sort(t);
        System.out.printf("small transaction (dedup + inbox + outbox + cursor): median %.2f ms (min %.2f, max %.2f)%n",
                t[t.length / 2] / 1e6, t[0] / 1e6, t[t.length - 1] / 1e6);
    }

    private static byte[][] load(Path samples, int n) throws Exception {
        Path a = samples.resolve("state-" + n + "-a.bin");
        Path b = samples.resolve("state-" + n + "-b.bin");
        if (Files.exists(a) && Files.exists(b)) {
            return new byte[][] {Files.readAllBytes(a), Files.readAllBytes(b)};
        }
        System.out.printf("members %d: no sample files, synthetic blobs%n", n);
        byte[] x = new byte[744 * n];
        new Random(n).nextBytes(x);
        byte[] y = x.clone();
        new Random(n + 1).nextBytes(y);
        return new byte[][] {x, y};
    }

    private static void run(Path db, int n, byte[][] states) {
        Bytes group = Bytes.fromHex("0b0b");
        long[] save = new long[ROUNDS];
        long[] load = new long[ROUNDS];
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            for (int warm = 0; warm < 5; warm++) {
                byte[] s = states[warm % 2];
                store.transaction(tx -> tx.mls().saveGroupState(group, s));
            }
            for (int r = 0; r < ROUNDS; r++) {
                byte[] s = states[r % 2];
                long t = System.nanoTime();
                store.transaction(tx -> tx.mls().saveGroupState(group, s));
                save[r] = System.nanoTime() - t;
                t = System.nanoTime();
                byte[] loaded = store.transactionResult(tx -> tx.mls().loadGroupState(group).orElseThrow());
                load[r] = System.nanoTime() - t;
                if (!Arrays.equals(loaded, s)) {
                    throw new IllegalStateException("round trip failed");
                }
            }
            store.checkpoint();
        }
        ContentChunker chunker = new ContentChunker(TestKeys.golden());
        java.util.Map<Bytes, Integer> before = new java.util.HashMap<>();
        chunker.split(states[0]).forEach(c -> before.put(Bytes.wrap(c.id()), c.length()));
        java.util.Map<Bytes, Integer> after = new java.util.HashMap<>();
        chunker.split(states[1]).forEach(c -> after.put(Bytes.wrap(c.id()), c.length()));
        long uniqueBytes = after.values().stream().mapToLong(Integer::longValue).sum();
        long newBytes = after.entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
                .mapToLong(e -> e.getValue().longValue()).sum();
        long newChunks = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
        System.out.printf("members %d: %d distinct chunks (%d bytes after de-duplication); one epoch writes %d chunks"
                + " (%d bytes)%n", n, after.size(), uniqueBytes, newChunks, newBytes);
        Arrays.sort(save);
        Arrays.sort(load);
        System.out.printf("members %d: state %d bytes; persist one epoch: median %.2f ms (min %.2f, max %.2f);"
                        + " load: median %.2f ms (min %.2f, max %.2f); database file %d bytes%n",
                n, states[1].length, save[ROUNDS / 2] / 1e6, save[0] / 1e6, save[ROUNDS - 1] / 1e6,
                load[ROUNDS / 2] / 1e6, load[0] / 1e6, load[ROUNDS - 1] / 1e6, db.toFile().length());
    }
}
