package org.mlsbridge.bridge.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.store.StoreException.Kind;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Group states stored as content-defined chunks ({@link ContentChunker}) plus a manifest, so an
 * epoch change writes only the chunks that changed, and chunks no longer referenced (the epoch
 * that left the past-epoch window, replaced secrets) are deleted in the same transaction.
 *
 * <p>Manifest, stable format 1, sealed with row identity (mls_group_state, group_id):
 * {@code uint8 format = 1 || uint32 total_length || uint32 count || (chunk_id[16] || uint32 length)*}.
 * Each chunk is sealed with row identity (mls_group_state_chunk, group_id, chunk_id); a chunk is
 * shared by every position of the state that has its content.
 */
final class GroupStateTable {
    static final String MANIFESTS = "mls_group_state";
    static final String CHUNKS = "mls_group_state_chunk";
    private static final int MANIFEST_FORMAT = 1;
    private static final int ENTRY = ContentChunker.ID_LENGTH + 4;

    private final Sql sql;

    GroupStateTable(Sql sql) {
        this.sql = sql;
    }

    static RowId manifestRow(Bytes groupId) {
        return RowId.table(MANIFESTS).bytes(groupId).build();
    }

    static RowId chunkRow(Bytes groupId, Bytes chunkId) {
        return RowId.table(CHUNKS).bytes(groupId).bytes(chunkId).build();
    }

    void save(Bytes groupId, byte[] state) {
        List<ContentChunker.Chunk> chunks = sql.chunker().split(state);
        Set<Bytes> stored = new HashSet<>(sql.list("SELECT chunk_id FROM " + CHUNKS + " WHERE group_id = ?",
                rs -> Bytes.wrap(rs.getBytes(1)), groupId));
        Set<Bytes> wanted = new HashSet<>();
        ByteBuffer manifest = ByteBuffer.allocate(9 + chunks.size() * ENTRY);
        manifest.put((byte) MANIFEST_FORMAT).putInt(state.length).putInt(chunks.size());
        for (ContentChunker.Chunk c : chunks) {
            Bytes id = Bytes.wrap(c.id());
            manifest.put(c.id()).putInt(c.length());
            if (wanted.add(id) && !stored.contains(id)) {
                byte[] plain = Arrays.copyOfRange(state, c.offset(), c.offset() + c.length());
                try {
                    sql.update("INSERT INTO " + CHUNKS + " (group_id, chunk_id, data) VALUES (?, ?, ?)",
                            groupId, id, sql.cipher().seal(chunkRow(groupId, id), plain));
                } finally {
                    Arrays.fill(plain, (byte) 0);
                }
            }
        }
        for (Bytes old : stored) {
            if (!wanted.contains(old)) {
                sql.update("DELETE FROM " + CHUNKS + " WHERE group_id = ? AND chunk_id = ?", groupId, old);
            }
        }
        sql.update("INSERT INTO " + MANIFESTS + " (group_id, manifest, size, chunks, updated_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (group_id) DO UPDATE SET manifest = excluded.manifest, size = excluded.size,"
                + " chunks = excluded.chunks, updated_ms = excluded.updated_ms",
                groupId, sql.cipher().seal(manifestRow(groupId), manifest.array()), state.length, wanted.size(),
                sql.nowMillis());
    }

    Optional<byte[]> load(Bytes groupId) {
        Optional<byte[]> sealed = sql.one("SELECT manifest FROM " + MANIFESTS + " WHERE group_id = ?",
                rs -> rs.getBytes(1), groupId);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer m = ByteBuffer.wrap(sql.cipher().open(manifestRow(groupId), sealed.get()));
        Map<Bytes, byte[]> chunks = new HashMap<>();
        for (ChunkRow row : sql.list("SELECT chunk_id, data FROM " + CHUNKS + " WHERE group_id = ?",
                rs -> new ChunkRow(Bytes.wrap(rs.getBytes(1)), rs.getBytes(2)), groupId)) {
            chunks.put(row.id(), row.sealed());
        }
        try {
            if (m.get() != MANIFEST_FORMAT) {
                throw corrupt(groupId, "unknown manifest format");
            }
            int total = m.getInt();
            int count = m.getInt();
            if (total < 0 || count < 0 || m.remaining() != (long) count * ENTRY) {
                throw corrupt(groupId, "malformed manifest");
            }
            byte[] state = new byte[total];
            Map<Bytes, byte[]> opened = new HashMap<>();
            int offset = 0;
            for (int i = 0; i < count; i++) {
                byte[] idBytes = new byte[ContentChunker.ID_LENGTH];
                m.get(idBytes);
                int length = m.getInt();
                Bytes id = Bytes.wrap(idBytes);
                byte[] plain = opened.get(id);
                if (plain == null) {
                    byte[] s = chunks.get(id);
                    if (s == null) {
                        throw corrupt(groupId, "chunk " + (i + 1) + " of " + count + " is missing");
                    }
                    plain = sql.cipher().open(chunkRow(groupId, id), s);
                    opened.put(id, plain);
                }
                if (plain.length != length || length > total - offset) {
                    throw corrupt(groupId, "chunk " + (i + 1) + " has the wrong length");
                }
                System.arraycopy(plain, 0, state, offset, length);
                offset += length;
            }
            if (offset != total) {
                throw corrupt(groupId, "chunks do not add up to the state's length");
            }
            opened.values().forEach(p -> Arrays.fill(p, (byte) 0));
            return Optional.of(state);
        } catch (BufferUnderflowException e) {
            throw corrupt(groupId, "truncated manifest");
        }
    }

    private record ChunkRow(Bytes id, byte[] sealed) {
    }

    boolean delete(Bytes groupId) {
        sql.update("DELETE FROM " + CHUNKS + " WHERE group_id = ?", groupId);
        return sql.update("DELETE FROM " + MANIFESTS + " WHERE group_id = ?", groupId) > 0;
    }

    List<Bytes> groupIds() {
        return sql.list("SELECT group_id FROM " + MANIFESTS + " ORDER BY group_id", rs -> Bytes.wrap(rs.getBytes(1)));
    }

    private static StoreException corrupt(Bytes groupId, String what) {
        return new StoreException(Kind.CORRUPT, "stored state of group " + groupId + ": " + what);
    }

    /** Chunk statistics of one group, for tests and diagnostics. */
    int chunkCount(Bytes groupId) {
        return sql.one("SELECT count(*) FROM " + CHUNKS + " WHERE group_id = ?", rs -> rs.getInt(1), groupId).orElse(0);
    }
}
