package org.mlsbridge.mls.crypto;

/** HPKE KDF identifiers (RFC 9180 §7.2); MLS uses the same HKDF for its own key schedule. */
public enum KdfId {
    HKDF_SHA256(0x0001, "SHA-256", "HmacSHA256", 32),
    HKDF_SHA384(0x0002, "SHA-384", "HmacSHA384", 48),
    HKDF_SHA512(0x0003, "SHA-512", "HmacSHA512", 64);

    private final int id;
    private final String digestName;
    private final String macName;
    private final int hashLength;

    KdfId(int id, String digestName, String macName, int hashLength) {
        this.id = id;
        this.digestName = digestName;
        this.macName = macName;
        this.hashLength = hashLength;
    }

    public int id() {
        return id;
    }

    /** JCA name of the hash. */
    public String digestName() {
        return digestName;
    }

    /** JCA name of the HMAC. */
    public String macName() {
        return macName;
    }

    /** Nh. */
    public int hashLength() {
        return hashLength;
    }
}
