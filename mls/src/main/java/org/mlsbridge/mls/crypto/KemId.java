package org.mlsbridge.mls.crypto;

/** HPKE KEM identifiers (RFC 9180 §7.1) used by the MLS cipher suites. */
public enum KemId {
    DHKEM_P256_HKDF_SHA256(0x0010, KdfId.HKDF_SHA256, 32, 65, 32),
    DHKEM_P384_HKDF_SHA384(0x0011, KdfId.HKDF_SHA384, 48, 97, 48),
    DHKEM_P521_HKDF_SHA512(0x0012, KdfId.HKDF_SHA512, 64, 133, 66),
    DHKEM_X25519_HKDF_SHA256(0x0020, KdfId.HKDF_SHA256, 32, 32, 32),
    DHKEM_X448_HKDF_SHA512(0x0021, KdfId.HKDF_SHA512, 64, 56, 56);

    private final int id;
    private final KdfId kdf;
    private final int sharedSecretLength;
    private final int publicKeyLength;
    private final int privateKeyLength;

    KemId(int id, KdfId kdf, int nSecret, int nPk, int nSk) {
        this.id = id;
        this.kdf = kdf;
        this.sharedSecretLength = nSecret;
        this.publicKeyLength = nPk;
        this.privateKeyLength = nSk;
    }

    public int id() {
        return id;
    }

    /**
     * The KEM's own KDF (RFC 9180 §7.1), used inside the DHKEM; it may differ from the suite's
     * KDF, which drives the HPKE key schedule.
     */
    public KdfId kdf() {
        return kdf;
    }

    /** Nsecret. */
    public int sharedSecretLength() {
        return sharedSecretLength;
    }

    /** Npk: the length of a serialized public key (uncompressed point for NIST curves). */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Nsk. */
    public int privateKeyLength() {
        return privateKeyLength;
    }
}
