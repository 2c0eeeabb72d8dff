package org.mlsbridge.mls.framing;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * {@code SenderData} of RFC 9420 §6.3.2: who sent a PrivateMessage, which ratchet generation
 * encrypted it, and the random reuse guard mixed into the content nonce.
 *
 * @param generation uint32 ratchet generation
 * @param reuseGuard exactly 4 bytes
 */
public record SenderData(LeafIndex leafIndex, long generation, Bytes reuseGuard) implements TlsEncodable {
    public static final int REUSE_GUARD_LENGTH = 4;

    public SenderData {
        Objects.requireNonNull(leafIndex, "leafIndex");
        if (generation < 0 || generation > 0xffffffffL) {
            throw new IllegalArgumentException("generation out of uint32 range: " + generation);
        }
        if (reuseGuard.length() != REUSE_GUARD_LENGTH) {
            throw new IllegalArgumentException("reuse guard must be 4 bytes, got " + reuseGuard.length());
        }
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.uint32(leafIndex.value()).uint32(generation).raw(reuseGuard);
    }

    public static SenderData readFrom(TlsReader r) throws DecodeException {
        LeafIndex leaf = LeafIndex.of(r.uint32AsInt("sender leaf index"));
        long generation = r.uint32();
        return new SenderData(leaf, generation, r.fixed(REUSE_GUARD_LENGTH));
    }
}
