package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;

/**
 * One signature scheme with the key encodings of the MLS test vectors: Ed25519/Ed448 seeds and raw
 * public keys; ECDSA big-endian scalars, uncompressed SEC1 points and DER signatures.
 */
sealed interface SignatureAlgorithm permits EdDsa, Ecdsa {
    /** A fresh private key. */
    byte[] generatePrivateKey(SecureRandom random);

    byte[] publicKey(byte[] privateKey) throws CryptoException;

    byte[] sign(byte[] privateKey, byte[] message) throws CryptoException;

    /** False for a wrong or malformed signature; {@link CryptoException} for an invalid public key. */
    boolean verify(byte[] publicKey, byte[] message, byte[] signature) throws CryptoException;

    static SignatureAlgorithm of(SignatureScheme scheme) {
        return switch (scheme) {
            case ED25519 -> EdDsa.ED25519;
            case ED448 -> EdDsa.ED448;
            case ECDSA_SECP256R1_SHA256 -> new Ecdsa(NistCurve.P256, KdfId.HKDF_SHA256);
            case ECDSA_SECP384R1_SHA384 -> new Ecdsa(NistCurve.P384, KdfId.HKDF_SHA384);
            case ECDSA_SECP521R1_SHA512 -> new Ecdsa(NistCurve.P521, KdfId.HKDF_SHA512);
        };
    }
}
