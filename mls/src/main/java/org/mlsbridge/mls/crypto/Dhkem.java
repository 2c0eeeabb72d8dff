package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.mlsbridge.mls.codec.Bytes;

/** DHKEM of RFC 9180 §4.1 over one {@link DhGroup}. Stateless and thread-safe. */
final class Dhkem {
    /** Encap's result: the KEM shared secret and enc (the serialized ephemeral public key). */
    record Encapsulation(byte[] sharedSecret, byte[] enc) {
    }

    private final KemId kem;
    private final DhGroup group;
    private final HpkeKdf kdf;

    Dhkem(KemId kem) {
        this.kem = kem;
        this.group = DhGroup.of(kem);
        this.kdf = HpkeKdf.forKem(kem);
    }

    HpkeKeyPair generateKeyPair(SecureRandom random) {
        byte[] sk = group.generatePrivateKey(random);
        return pair(sk);
    }

    /** DeriveKeyPair (RFC 9180 §7.1.3). */
    HpkeKeyPair deriveKeyPair(byte[] ikm) {
        byte[] dkpPrk = kdf.labeledExtract(new byte[0], "dkp_prk", ikm);
        try {
            return pair(group.derivePrivateKey(kdf, dkpPrk));
        } finally {
            Arrays.fill(dkpPrk, (byte) 0);
        }
    }

    private HpkeKeyPair pair(byte[] sk) {
        try {
            return new HpkeKeyPair(Secret.wrap(sk), Bytes.wrap(group.publicKey(sk)));
        } catch (CryptoException e) {
            throw new IllegalStateException("freshly made " + kem + " private key rejected", e);
        }
    }

    byte[] publicKey(byte[] privateKey) throws CryptoException {
        return group.publicKey(privateKey);
    }

    Encapsulation encap(byte[] pkR, SecureRandom random) throws CryptoException {
        byte[] skE = group.generatePrivateKey(random);
        try {
            return encap(pkR, skE);
        } finally {
            Arrays.fill(skE, (byte) 0);
        }
    }

    /** Encap with a given ephemeral key: the deterministic core, reachable from tests. */
    Encapsulation encap(byte[] pkR, byte[] skE) throws CryptoException {
        byte[] dh = group.dh(skE, pkR);
        byte[] enc = group.publicKey(skE);
        byte[] kemContext = HpkeKdf.concat(enc, pkR);
        return new Encapsulation(extractAndExpand(dh, kemContext), enc);
    }

    byte[] decap(byte[] enc, byte[] skR) throws CryptoException {
        byte[] dh = group.dh(skR, enc);
        byte[] kemContext = HpkeKdf.concat(enc, group.publicKey(skR));
        return extractAndExpand(dh, kemContext);
    }

    private byte[] extractAndExpand(byte[] dh, byte[] kemContext) {
        byte[] eaePrk = kdf.labeledExtract(new byte[0], "eae_prk", dh);
        try {
            return kdf.labeledExpand(eaePrk, "shared_secret", kemContext, kem.sharedSecretLength());
        } finally {
            Arrays.fill(eaePrk, (byte) 0);
            Arrays.fill(dh, (byte) 0);
        }
    }
}
