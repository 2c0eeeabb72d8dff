package org.mlsbridge.mls.secrets;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;

/**
 * The AEAD key and nonce of one generation of a hash ratchet (RFC 9420 §9.1). The holder owns
 * them: the ratchet keeps no copy once it has handed them out, and the holder should
 * {@link #destroy()} them after the single message they protect.
 *
 * @param generation unsigned 32-bit generation, as carried in SenderData
 */
public record RatchetKey(long generation, Secret key, Secret nonce) {
    /** Length of SenderData.reuse_guard (RFC 9420 §6.3.1). */
    public static final int REUSE_GUARD_LENGTH = 4;

    /**
     * The nonce actually used for a PrivateMessage: the ratchet nonce with its first four bytes
     * XORed with the reuse guard (§6.3.1), so that a nonce reused by accident (e.g. after a state
     * rollback) still differs with high probability. The caller should wipe the result after use.
     */
    public byte[] guardedNonce(Bytes reuseGuard) {
        if (reuseGuard.length() != REUSE_GUARD_LENGTH) {
            throw new IllegalArgumentException("reuse_guard must be 4 bytes, not " + reuseGuard.length());
        }
        byte[] n = nonce.copy();
        for (int i = 0; i < REUSE_GUARD_LENGTH; i++) {
            n[i] ^= reuseGuard.get(i);
        }
        return n;
    }

    public void destroy() {
        key.destroy();
        nonce.destroy();
    }

    /** An independent copy whose lifetime is separate from this one. */
    RatchetKey copy() {
        return new RatchetKey(generation, Secret.wrap(key.copy()), Secret.wrap(nonce.copy()));
    }
}
