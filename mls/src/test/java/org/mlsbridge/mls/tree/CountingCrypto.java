package org.mlsbridge.mls.tree;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.HpkeExport;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/** A SuiteCrypto that counts hash calls, to show how many nodes a tree hash really re-hashes. */
final class CountingCrypto implements SuiteCrypto {
    private final SuiteCrypto d;
    private long hashes;

    CountingCrypto(SuiteCrypto delegate) {
        this.d = delegate;
    }

    long hashes() {
        return hashes;
    }

    void reset() {
        hashes = 0;
    }

    @Override
    public CipherSuite suite() {
        return d.suite();
    }

    @Override
    public byte[] hash(byte[] data) {
        hashes++;
        return d.hash(data);
    }

    @Override
    public byte[] mac(byte[] key, byte[] data) {
        return d.mac(key, data);
    }

    @Override
    public byte[] kdfExtract(byte[] salt, byte[] ikm) {
        return d.kdfExtract(salt, ikm);
    }

    @Override
    public byte[] kdfExpand(byte[] prk, byte[] info, int length) {
        return d.kdfExpand(prk, info, length);
    }

    @Override
    public byte[] aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        return d.aeadSeal(key, nonce, aad, plaintext);
    }

    @Override
    public byte[] aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException {
        return d.aeadOpen(key, nonce, aad, ciphertext);
    }

    @Override
    public HpkeKeyPair generateHpkeKeyPair() {
        return d.generateHpkeKeyPair();
    }

    @Override
    public HpkeKeyPair deriveHpkeKeyPair(byte[] ikm) {
        return d.deriveHpkeKeyPair(ikm);
    }

    @Override
    public Bytes hpkePublicKey(Secret privateKey) throws CryptoException {
        return d.hpkePublicKey(privateKey);
    }

    @Override
    public HpkeCiphertext hpkeSeal(Bytes publicKey, byte[] info, byte[] aad, byte[] plaintext) throws CryptoException {
        return d.hpkeSeal(publicKey, info, aad, plaintext);
    }

    @Override
    public byte[] hpkeOpen(Secret privateKey, HpkeCiphertext ciphertext, byte[] info, byte[] aad)
            throws CryptoException {
        return d.hpkeOpen(privateKey, ciphertext, info, aad);
    }

    @Override
    public HpkeExport hpkeExportSender(Bytes publicKey, byte[] info, byte[] exporterContext, int length)
            throws CryptoException {
        return d.hpkeExportSender(publicKey, info, exporterContext, length);
    }

    @Override
    public Secret hpkeExportReceiver(Secret privateKey, Bytes kemOutput, byte[] info, byte[] exporterContext,
            int length) throws CryptoException {
        return d.hpkeExportReceiver(privateKey, kemOutput, info, exporterContext, length);
    }

    @Override
    public SignatureKeyPair generateSignatureKeyPair() {
        return d.generateSignatureKeyPair();
    }

    @Override
    public Bytes signaturePublicKey(Secret privateKey) throws CryptoException {
        return d.signaturePublicKey(privateKey);
    }

    @Override
    public byte[] sign(Secret privateKey, byte[] message) throws CryptoException {
        return d.sign(privateKey, message);
    }

    @Override
    public boolean verify(Bytes publicKey, byte[] message, byte[] signature) throws CryptoException {
        return d.verify(publicKey, message, signature);
    }
}
