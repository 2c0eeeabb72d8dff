package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.math.ec.rfc8032.Ed448;

/** Pure Ed25519 and Ed448 (RFC 8032, Ed448 with an empty context) on BouncyCastle's rfc8032 code. */
enum EdDsa implements SignatureAlgorithm {
    ED25519(Ed25519.SECRET_KEY_SIZE, Ed25519.PUBLIC_KEY_SIZE, Ed25519.SIGNATURE_SIZE),
    ED448(Ed448.SECRET_KEY_SIZE, Ed448.PUBLIC_KEY_SIZE, Ed448.SIGNATURE_SIZE);

    private static final byte[] EMPTY_CONTEXT = new byte[0];

    private final int secretKeySize;
    private final int publicKeySize;
    private final int signatureSize;

    EdDsa(int secretKeySize, int publicKeySize, int signatureSize) {
        this.secretKeySize = secretKeySize;
        this.publicKeySize = publicKeySize;
        this.signatureSize = signatureSize;
    }

    @Override
    public byte[] generatePrivateKey(SecureRandom random) {
        byte[] sk = new byte[secretKeySize];
        random.nextBytes(sk);
        return sk;
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
        checkPrivate(privateKey);
        byte[] pk = new byte[publicKeySize];
        if (this == ED25519) {
            Ed25519.generatePublicKey(privateKey, 0, pk, 0);
        } else {
            Ed448.generatePublicKey(privateKey, 0, pk, 0);
        }
        return pk;
    }

    @Override
    public byte[] sign(byte[] privateKey, byte[] message) throws CryptoException {
        checkPrivate(privateKey);
        byte[] sig = new byte[signatureSize];
        if (this == ED25519) {
            Ed25519.sign(privateKey, 0, message, 0, message.length, sig, 0);
        } else {
            Ed448.sign(privateKey, 0, EMPTY_CONTEXT, message, 0, message.length, sig, 0);
        }
        return sig;
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) throws CryptoException {
        if (publicKey.length != publicKeySize) {
            throw new CryptoException(name() + " public key must be " + publicKeySize + " bytes, got "
                    + publicKey.length);
        }
        // Decoding the key once yields both the validity check and the point verify needs.
        if (this == ED25519) {
            Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
            if (point == null) {
                throw new CryptoException("Ed25519 public key is not a valid curve point");
            }
            return signature.length == signatureSize
                    && Ed25519.verify(signature, 0, point, message, 0, message.length);
        }
        Ed448.PublicPoint point = Ed448.validatePublicKeyPartialExport(publicKey, 0);
        if (point == null) {
            throw new CryptoException("Ed448 public key is not a valid curve point");
        }
        return signature.length == signatureSize
                && Ed448.verify(signature, 0, point, EMPTY_CONTEXT, message, 0, message.length);
    }

    private void checkPrivate(byte[] privateKey) throws CryptoException {
        if (privateKey.length != secretKeySize) {
            throw new CryptoException(name() + " private key must be " + secretKeySize + " bytes, got "
                    + privateKey.length);
        }
    }
}
