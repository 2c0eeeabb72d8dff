package org.mlsbridge.mls.crypto;

import java.util.Optional;

/** The seven cipher suites of RFC 9420 §17.1. */
public enum CipherSuite {
    MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519(0x0001,
            KemId.DHKEM_X25519_HKDF_SHA256, KdfId.HKDF_SHA256, AeadId.AES_128_GCM, SignatureScheme.ED25519),
    MLS_128_DHKEMP256_AES128GCM_SHA256_P256(0x0002,
            KemId.DHKEM_P256_HKDF_SHA256, KdfId.HKDF_SHA256, AeadId.AES_128_GCM, SignatureScheme.ECDSA_SECP256R1_SHA256),
    MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519(0x0003,
            KemId.DHKEM_X25519_HKDF_SHA256, KdfId.HKDF_SHA256, AeadId.CHACHA20_POLY1305, SignatureScheme.ED25519),
    MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448(0x0004,
            KemId.DHKEM_X448_HKDF_SHA512, KdfId.HKDF_SHA512, AeadId.AES_256_GCM, SignatureScheme.ED448),
    MLS_256_DHKEMP521_AES256GCM_SHA512_P521(0x0005,
            KemId.DHKEM_P521_HKDF_SHA512, KdfId.HKDF_SHA512, AeadId.AES_256_GCM, SignatureScheme.ECDSA_SECP521R1_SHA512),
    MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448(0x0006,
            KemId.DHKEM_X448_HKDF_SHA512, KdfId.HKDF_SHA512, AeadId.CHACHA20_POLY1305, SignatureScheme.ED448),
    MLS_256_DHKEMP384_AES256GCM_SHA384_P384(0x0007,
            KemId.DHKEM_P384_HKDF_SHA384, KdfId.HKDF_SHA384, AeadId.AES_256_GCM, SignatureScheme.ECDSA_SECP384R1_SHA384);

    private final int id;
    private final KemId kem;
    private final KdfId kdf;
    private final AeadId aead;
    private final SignatureScheme signature;

    CipherSuite(int id, KemId kem, KdfId kdf, AeadId aead, SignatureScheme signature) {
        this.id = id;
        this.kem = kem;
        this.kdf = kdf;
        this.aead = aead;
        this.signature = signature;
    }

    /** The uint16 wire value. */
    public int id() {
        return id;
    }

    public KemId kem() {
        return kem;
    }

    /** The KDF; its hash is also the suite's hash (RFC 9420 §5.1). */
    public KdfId kdf() {
        return kdf;
    }

    public AeadId aead() {
        return aead;
    }

    public SignatureScheme signature() {
        return signature;
    }

    /** Empty for values we do not implement (including GREASE and private-use values). */
    public static Optional<CipherSuite> fromId(int id) {
        for (CipherSuite s : values()) {
            if (s.id == id) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
