package org.mlsbridge.mls.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;

/** ECDH on P-256, P-384 and P-521 (RFC 9180 §7.1): DH output is the x-coordinate, Nsk bytes. */
record NistDhGroup(NistCurve curve, int bitmask) implements DhGroup {
    @Override
    public int privateKeyLength() {
        return curve.scalarLength();
    }

    @Override
    public int publicKeyLength() {
        return curve.pointLength();
    }

    @Override
    public byte[] generatePrivateKey(SecureRandom random) {
        return curve.encodeScalar(curve.randomScalar(random));
    }

    /** Rejection sampling of RFC 9180 §7.1.3; the bitmask trims P-521 candidates to 521 bits. */
    @Override
    public byte[] derivePrivateKey(HpkeKdf kdf, byte[] dkpPrk) {
        for (int counter = 0; counter < 256; counter++) {
            byte[] bytes = kdf.labeledExpand(dkpPrk, "candidate", new byte[] {(byte) counter}, curve.scalarLength());
            bytes[0] = (byte) (bytes[0] & bitmask);
            BigInteger sk = new BigInteger(1, bytes);
            if (sk.signum() != 0 && sk.compareTo(curve.order()) < 0) {
                return bytes;
            }
        }
        // Probability below 2^-256 for every curve here.
        throw new IllegalStateException("RFC 9180 §7.1.3: DeriveKeyPairError");
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
        return curve.encodePoint(curve.multiplyBase(decodePrivate(privateKey)));
    }

    @Override
    public byte[] dh(byte[] privateKey, byte[] publicKey) throws CryptoException {
        BigInteger d = decodePrivate(privateKey);
        ECPoint q = curve.decodePoint(publicKey);
        ECPoint z = q.multiply(d).normalize();
        if (z.isInfinity()) {
            throw new CryptoException("RFC 9180 §7.1: ECDH produced the point at infinity");
        }
        return z.getAffineXCoord().getEncoded();
    }

    /**
     * RFC 9180 serializes private keys at full length, but some MLS implementations (and the
     * passive-client test vectors for P-521) drop leading zero bytes; a big-endian scalar means
     * the same either way, so shorter encodings are accepted.
     */
    private BigInteger decodePrivate(byte[] privateKey) throws CryptoException {
        return curve.decodeScalar(privateKey);
    }
}
