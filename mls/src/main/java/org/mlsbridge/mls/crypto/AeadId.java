package org.mlsbridge.mls.crypto;

/** HPKE AEAD identifiers (RFC 9180 §7.3). */
public enum AeadId {
    AES_128_GCM(0x0001, 16, 12),
    AES_256_GCM(0x0002, 32, 12),
    CHACHA20_POLY1305(0x0003, 32, 12);

    /** All three AEADs have a 16-byte tag. */
    public static final int TAG_LENGTH = 16;

    private final int id;
    private final int keyLength;
    private final int nonceLength;

    AeadId(int id, int nk, int nn) {
        this.id = id;
        this.keyLength = nk;
        this.nonceLength = nn;
    }

    public int id() {
        return id;
    }

    /** Nk. */
    public int keyLength() {
        return keyLength;
    }

    /** Nn. */
    public int nonceLength() {
        return nonceLength;
    }
}
