package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;
import org.mlsbridge.mls.codec.Bytes;

/** The built-in suite implementation: JDK symmetric primitives, BouncyCastle curves and HPKE. */
final class DefaultSuiteCrypto implements SuiteCrypto {
    private final CipherSuite suite;
    private final JdkSymmetric symmetric;
    private final HpkeBase hpke;
    private final SignatureAlgorithm signatures;
    // Thread-safe; key generation and HPKE ephemeral keys draw from it.
    private final SecureRandom random;

    DefaultSuiteCrypto(CipherSuite suite) {
        this(suite, new SecureRandom());
    }

    DefaultSuiteCrypto(CipherSuite suite, SecureRandom random) {
        this.suite = suite;
        this.symmetric = new JdkSymmetric(suite.kdf(), suite.aead());
        this.hpke = new HpkeBase(suite.kem(), suite.kdf(), suite.aead());
        this.signatures = SignatureAlgorithm.of(suite.signature());
        this.random = random;
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

    @Override
    public HpkeKeyPair generateHpkeKeyPair() {
        return hpke.kem().generateKeyPair(random);
    }

    @Override
    public HpkeKeyPair deriveHpkeKeyPair(byte[] ikm) {
        return hpke.kem().deriveKeyPair(ikm);
    }

    @Override
    public Bytes hpkePublicKey(Secret privateKey) throws CryptoException {
        return Bytes.wrap(hpke.kem().publicKey(privateKey.borrow()));
    }

    @Override
    public HpkeCiphertext hpkeSeal(Bytes publicKey, byte[] info, byte[] aad, byte[] plaintext) throws CryptoException {
        return hpke.seal(publicKey.toByteArray(), info, aad, plaintext, random);
    }

    @Override
    public byte[] hpkeOpen(Secret privateKey, HpkeCiphertext ciphertext, byte[] info, byte[] aad)
            throws CryptoException {
        return hpke.open(privateKey.borrow(), ciphertext, info, aad);
    }

    @Override
    public HpkeExport hpkeExportSender(Bytes publicKey, byte[] info, byte[] exporterContext, int length)
            throws CryptoException {
        return hpke.exportSender(publicKey.toByteArray(), info, exporterContext, length, random);
    }

    @Override
    public Secret hpkeExportReceiver(Secret privateKey, Bytes kemOutput, byte[] info, byte[] exporterContext,
            int length) throws CryptoException {
        return Secret.wrap(hpke.exportReceiver(privateKey.borrow(), kemOutput.toByteArray(), info, exporterContext,
                length));
    }

    @Override
    public SignatureKeyPair generateSignatureKeyPair() {
        byte[] sk = signatures.generatePrivateKey(random);
        try {
            return new SignatureKeyPair(Secret.wrap(sk), Bytes.wrap(signatures.publicKey(sk)));
        } catch (CryptoException e) {
            throw new IllegalStateException("freshly made " + suite.signature() + " private key rejected", e);
        }
    }

    @Override
    public Bytes signaturePublicKey(Secret privateKey) throws CryptoException {
        return Bytes.wrap(signatures.publicKey(privateKey.borrow()));
    }

    @Override
    public byte[] sign(Secret privateKey, byte[] message) throws CryptoException {
        return signatures.sign(privateKey.borrow(), message);
    }

    @Override
    public boolean verify(Bytes publicKey, byte[] message, byte[] signature) throws CryptoException {
        return signatures.verify(publicKey.toByteArray(), message, signature);
    }
}
