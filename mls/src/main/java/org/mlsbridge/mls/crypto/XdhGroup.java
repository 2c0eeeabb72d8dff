package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;

/**
 * X25519 and X448 (RFC 7748) on BouncyCastle's constant-time implementations. Private keys are the
 * raw scalar bytes, clamped inside the scalar multiplication, as RFC 9180 §7.1.1 serializes them.
 */
enum XdhGroup implements DhGroup {
    // BC's classes share our constants' names, hence the qualified references below.
    X25519(org.bouncycastle.math.ec.rfc7748.X25519.SCALAR_SIZE, org.bouncycastle.math.ec.rfc7748.X25519.POINT_SIZE),
    X448(org.bouncycastle.math.ec.rfc7748.X448.SCALAR_SIZE, org.bouncycastle.math.ec.rfc7748.X448.POINT_SIZE);

    private final int scalarSize;
    private final int pointSize;

    XdhGroup(int scalarSize, int pointSize) {
        this.scalarSize = scalarSize;
        this.pointSize = pointSize;
    }

    @Override
    public int privateKeyLength() {
        return scalarSize;
    }

    @Override
    public int publicKeyLength() {
        return pointSize;
    }

    @Override
    public byte[] generatePrivateKey(SecureRandom random) {
        byte[] sk = new byte[scalarSize];
        random.nextBytes(sk);
        return sk;
    }

    @Override
    public byte[] derivePrivateKey(HpkeKdf kdf, byte[] dkpPrk) {
        return kdf.labeledExpand(dkpPrk, "sk", new byte[0], scalarSize);
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
        checkPrivate(privateKey);
        byte[] pk = new byte[pointSize];
        if (this == X25519) {
            org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, pk, 0);
        } else {
            org.bouncycastle.math.ec.rfc7748.X448.scalarMultBase(privateKey, 0, pk, 0);
        }
        return pk;
    }

    @Override
    public byte[] dh(byte[] privateKey, byte[] publicKey) throws CryptoException {
        checkPrivate(privateKey);
        if (publicKey.length != pointSize) {
            throw new CryptoException(name() + " public key must be " + pointSize + " bytes, got "
                    + publicKey.length);
        }
        byte[] shared = new byte[pointSize];
        boolean nonZero = this == X25519
                ? org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)
                : org.bouncycastle.math.ec.rfc7748.X448.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0);
        if (!nonZero) {
            // A small-order public key forces an all-zero secret (RFC 7748 §6, RFC 9180 §7.1.4).
            throw new CryptoException(name() + " shared secret is all zero: small-order public key");
        }
        return shared;
    }

    private void checkPrivate(byte[] privateKey) throws CryptoException {
        if (privateKey.length != scalarSize) {
            throw new CryptoException(name() + " private key must be " + scalarSize + " bytes, got "
                    + privateKey.length);
        }
    }
}
