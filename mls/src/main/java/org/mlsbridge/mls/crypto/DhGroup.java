package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;

/**
 * The Diffie-Hellman group under a DHKEM (RFC 9180 §4.1): key serialization, the curve-specific
 * step of DeriveKeyPair, and DH itself. Keys travel serialized as RFC 9180 §7.1.1 defines.
 */
sealed interface DhGroup permits XdhGroup, NistDhGroup {
    int privateKeyLength();

    int publicKeyLength();

    byte[] generatePrivateKey(SecureRandom random);

    /** DeriveKeyPair's private-key step (RFC 9180 §7.1.3), given dkp_prk and the KEM's labeled KDF. */
    byte[] derivePrivateKey(HpkeKdf kdf, byte[] dkpPrk);

    /** SerializePublicKey(pk(DeserializePrivateKey(sk))). */
    byte[] publicKey(byte[] privateKey) throws CryptoException;

    /** DH(skX, pkY) serialized (Ndh bytes); a hostile public key is a {@link CryptoException}. */
    byte[] dh(byte[] privateKey, byte[] publicKey) throws CryptoException;

    static DhGroup of(KemId kem) {
        return switch (kem) {
            case DHKEM_X25519_HKDF_SHA256 -> XdhGroup.X25519;
            case DHKEM_X448_HKDF_SHA512 -> XdhGroup.X448;
            case DHKEM_P256_HKDF_SHA256 -> new NistDhGroup(NistCurve.P256, 0xff);
            case DHKEM_P384_HKDF_SHA384 -> new NistDhGroup(NistCurve.P384, 0xff);
            case DHKEM_P521_HKDF_SHA512 -> new NistDhGroup(NistCurve.P521, 0x01);
        };
    }
}
