package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.codec.Bytes;

/** The built-in suite implementation: JDK symmetric primitives, BouncyCastle curves and HPKE. */
final class DefaultSuiteCrypto implements SuiteCrypto {
    private final CipherSuite suite;
    private final JdkSymmetric symmetric;

    DefaultSuiteCrypto(CipherSuite suite) {
        this.suite = suite;
        this.symmetric = new JdkSymmetric(suite.kdf(), suite.aead());
    }

    @Override
    public CipherSuite suite() {
        return suite;
    }

    @Override
    public byte[] hash(byte[] data) {
        return symmetric.hash(data);
    }

    @Override
    public byte[] mac(byte[] key, byte[] data) {
        return symmetric.mac(key, data);
    }

    @Override
    public byte[] kdfExtract(byte[] salt, byte[] ikm) {
        return symmetric.extract(salt, ikm);
    }

    @Override
    public byte[] kdfExpand(byte[] prk, byte[] info, int length) {
        return symmetric.expand(prk, info, length);
    }

    @Override
    public byte[] aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        return symmetric.seal(key, nonce, aad, plaintext);
    }

    @Override
    public byte[] aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException {
        return symmetric.open(key, nonce, aad, ciphertext);
    }

    // TODO(crypto helper): HPKE and signatures on BouncyCastle.
    @Override
    public HpkeKeyPair generateHpkeKeyPair() {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public HpkeKeyPair deriveHpkeKeyPair(byte[] ikm) {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public Bytes hpkePublicKey(Secret privateKey) {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public HpkeCiphertext hpkeSeal(Bytes publicKey, byte[] info, byte[] aad, byte[] plaintext) {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public byte[] hpkeOpen(Secret privateKey, HpkeCiphertext ciphertext, byte[] info, byte[] aad) {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public HpkeExport hpkeExportSender(Bytes publicKey, byte[] info, byte[] exporterContext, int length) {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public Secret hpkeExportReceiver(Secret privateKey, Bytes kemOutput, byte[] info, byte[] exporterContext,
            int length) {
        throw new UnsupportedOperationException("HPKE not implemented yet");
    }

    @Override
    public SignatureKeyPair generateSignatureKeyPair() {
        throw new UnsupportedOperationException("signatures not implemented yet");
    }

    @Override
    public Bytes signaturePublicKey(Secret privateKey) {
        throw new UnsupportedOperationException("signatures not implemented yet");
    }

    @Override
    public byte[] sign(Secret privateKey, byte[] message) {
        throw new UnsupportedOperationException("signatures not implemented yet");
    }

    @Override
    public boolean verify(Bytes publicKey, byte[] message, byte[] signature) {
        throw new UnsupportedOperationException("signatures not implemented yet");
    }
}
