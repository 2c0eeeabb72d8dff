package org.mlsbridge.bridge.store;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cuts a group state into content-defined chunks and names each by a keyed hash of its content,
 * so that saving the next epoch's state rewrites only the chunks that changed (see
 * docs/performance.md, "Persisting group state").
 *
 * <p>Boundaries come from a gear rolling hash (a boundary where the hash's low 12 bits are zero,
 * chunks of 1-32 KiB, about 4 KiB on average): they depend only on the nearby bytes, so an
 * insertion or a shift (the current tree moving into the past-epoch window) leaves the other
 * chunks identical and they are found again by their names. The gear table is derived from the
 * store key and chunk names are HMAC-SHA256 under a key derived from it, so neither chunk
 * lengths nor names let someone holding the file test guesses of the content. Changing the
 * chunking later does not affect stored data: a state lists its chunks explicitly.
 */
final class ContentChunker {
    static final int MIN = 1024;
    static final int MAX = 32 * 1024;
    private static final long MASK = (1L << 12) - 1;
    static final int ID_LENGTH = 16;

    private final long[] gear = new long[256];
    private final SecretKeySpec idKey;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::keyedMac);

    ContentChunker(KeyEncryptionKey kek) {
        byte[] seed = kek.chunkerSeed();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int block = 0; block < 256 / 4; block++) {
                sha.update(seed);
                ByteBuffer h = ByteBuffer.wrap(sha.digest(ByteBuffer.allocate(4).putInt(block).array()));
                for (int j = 0; j < 4; j++) {
                    gear[block * 4 + j] = h.getLong();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        byte[] k = kek.chunkIdKey();
        try {
            idKey = new SecretKeySpec(k, "HmacSHA256");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** A chunk: where it is in the state, and its name. */
    record Chunk(int offset, int length, byte[] id) {
    }

    List<Chunk> split(byte[] data) {
        List<Chunk> chunks = new ArrayList<>(data.length / 4096 + 1);
        Mac mac = macs.get();
        mac.reset();
        int start = 0;
        while (start < data.length) {
            int end = boundary(data, start);
            mac.update(data, start, end - start);
            chunks.add(new Chunk(start, end - start, Arrays.copyOf(mac.doFinal(), ID_LENGTH)));
            start = end;
        }
        return chunks;
    }

    private int boundary(byte[] data, int start) {
        int limit = Math.min(data.length, start + MAX);
        if (limit - start <= MIN) {
            return limit;
        }
        long h = 0;
        for (int i = start + MIN; i < limit; i++) {
            h = (h << 1) + gear[data[i] & 0xff];
            if ((h & MASK) == 0) {
                return i + 1;
            }
        }
        return limit;
    }

    /** An HMAC keyed with the chunk-id key: one per thread, as looking one up per state costs more than using it. */
    private Mac keyedMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(idKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
