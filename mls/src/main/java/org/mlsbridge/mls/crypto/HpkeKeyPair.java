package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.codec.Bytes;

/** An HPKE key pair, keys serialized as in RFC 9180 §7.1.1 (SerializePublicKey/SerializePrivateKey). */
public record HpkeKeyPair(Secret privateKey, Bytes publicKey) {
}
