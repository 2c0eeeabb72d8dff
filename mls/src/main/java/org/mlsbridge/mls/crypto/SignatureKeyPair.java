package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.codec.Bytes;

/**
 * A signature key pair. Ed25519/Ed448 private keys are the RFC 8032 seed; ECDSA private keys
 * are the big-endian scalar and public keys the uncompressed SEC1 point, as in the MLS test vectors.
 */
public record SignatureKeyPair(Secret privateKey, Bytes publicKey) {
}
