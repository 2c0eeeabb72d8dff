package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;

class ChunkedGroupStateTest {
    private static final Bytes GROUP = Bytes.fromHex("77");

    @TempDir
    Path dir;

    private static Set<Bytes> ids(List<ContentChunker.Chunk> chunks) {
        Set<Bytes> out = new HashSet<>();
        chunks.forEach(c -> out.add(Bytes.wrap(c.id())));
        return out;
    }

    @Test
    void localChangesAndShiftsKeepMostChunks() {
        ContentChunker chunker = new ContentChunker(TestKeys.golden());
        byte[] state = new byte[1 << 20];
        new Random(7).nextBytes(state);
        List<ContentChunker.Chunk> before = chunker.split(state);
        assertThat(before).allSatisfy(c -> assertThat(c.length()).isBetween(1, ContentChunker.MAX));
        assertThat(before.size()).isBetween(100, 600); // about 4 KiB on average
        assertThat(before.stream().mapToInt(ContentChunker.Chunk::length).sum()).isEqualTo(state.length);

        byte[] edited = state.clone();
        for (int pos : new int[] {1000, 300_000, 700_000}) {
            edited[pos] ^= 1; // three scattered changes, like the nodes of an updated path
        }
        byte[] shifted = new byte[state.length + 37]; // bytes inserted near the front: everything moves
        System.arraycopy(state, 0, shifted, 0, 5000);
        System.arraycopy(state, 5000, shifted, 5037, state.length - 5000);

        Set<Bytes> old = ids(before);
        Set<Bytes> afterEdit = ids(chunker.split(edited));
        afterEdit.removeAll(old);
        assertThat(afterEdit.size()).isLessThanOrEqualTo(6);
        Set<Bytes> afterShift = ids(chunker.split(shifted));
        afterShift.removeAll(old);
        assertThat(afterShift.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void chunkingIsKeyed() {
        byte[] state = new byte[200_000];
        new Random(3).nextBytes(state);
        List<ContentChunker.Chunk> a = new ContentChunker(TestKeys.golden()).split(state);
        List<ContentChunker.Chunk> b = new ContentChunker(TestKeys.other()).split(state);
        assertThat(a.stream().map(ContentChunker.Chunk::offset).toList())
                .isNotEqualTo(b.stream().map(ContentChunker.Chunk::offset).toList());
    }

    @Test
    void epochsRewriteFewChunksAndUnreferencedChunksAreDeleted() {
        try (SqliteStore store = SqliteStore.open(dir.resolve("s.db"), TestKeys.golden())) {
            Random random = new Random(11);
            byte[] state = new byte[400_000];
            random.nextBytes(state);
            store.mlsStorage().saveGroupState(GROUP, state);
            int initial = store.transactionResult(tx -> tx.groupStateChunkCount(GROUP));
            for (int epoch = 0; epoch < 50; epoch++) {
                byte[] next = state.clone();
                for (int k = 0; k < 5; k++) {
                    next[random.nextInt(next.length)] ^= (byte) (1 + random.nextInt(255));
                }
                byte[] s = next;
                store.transaction(tx -> tx.mls().saveGroupState(GROUP, s));
                state = next;
                assertThat(store.mlsStorage().loadGroupState(GROUP)).hasValueSatisfying(
                        loaded -> assertThat(loaded).isEqualTo(s));
            }
            int after = store.transactionResult(tx -> tx.groupStateChunkCount(GROUP));
            assertThat(after).isBetween(initial - 5, initial + 5); // replaced chunks are gone
            store.mlsStorage().saveGroupState(GROUP, new byte[0]);
            assertThat(store.mlsStorage().loadGroupState(GROUP)).hasValueSatisfying(s -> assertThat(s).isEmpty());
            assertThat(store.mlsStorage().deleteGroupState(GROUP)).isTrue();
            int none = store.transactionResult(tx -> tx.groupStateChunkCount(GROUP));
            assertThat(none).isZero();
        }
    }

    @Test
    void aMissingOrForeignChunkIsCorruptionNotGarbage() throws Exception {
        Path db = dir.resolve("c.db");
        byte[] state = new byte[100_000];
        new Random(5).nextBytes(state);
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            store.mlsStorage().saveGroupState(GROUP, state);
            store.mlsStorage().saveGroupState(Bytes.fromHex("88"), state);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            // give group 77 the (identical-content) chunks of group 88: sealed for another row
            c.createStatement().executeUpdate("UPDATE mls_group_state_chunk SET data = (SELECT o.data FROM"
                    + " mls_group_state_chunk o WHERE o.group_id = x'88' AND o.chunk_id = mls_group_state_chunk.chunk_id)"
                    + " WHERE group_id = x'77'");
        }
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            assertThatThrownBy(() -> store.mlsStorage().loadGroupState(GROUP))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate("DELETE FROM mls_group_state_chunk WHERE rowid IN"
                    + " (SELECT rowid FROM mls_group_state_chunk WHERE group_id = x'88' LIMIT 1)");
        }
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            assertThatThrownBy(() -> store.mlsStorage().loadGroupState(Bytes.fromHex("88")))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT))
                    .hasMessageContaining("missing");
        }
    }
}
