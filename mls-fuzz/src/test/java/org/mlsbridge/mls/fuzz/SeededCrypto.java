package org.mlsbridge.mls.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.HpkeExport;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/**
 * The default crypto with key generation made reproducible: the n-th key pair generated is derived
 * from (label, n). A fuzz finding is only worth keeping if it fails the same way in the next JVM,
 * and a mutated message only reaches deep code when it is valid for the receiving group's keys, so
 * the fixture group must have the same keys in every run. Everything else is the default provider.
 */
final class SeededCrypto implements CryptoProvider {
    private final String label;
    private long counter;

    SeededCrypto(String label) {
        this.label = label;
    }

    @Override
    public SuiteCrypto suite(CipherSuite suite) {
        return new Seeded(CryptoProvider.defaultProvider().suite(suite));
    }

    private synchronized byte[] nextSeed(int length) {
        byte[] ikm = (label + "/" + counter++).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        // SHA-256 in counter mode: enough for a test seed of any length.
        var sha = CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
        for (int off = 0, block = 0; off < length; block++) {
            byte[] h = sha.hash(ByteBuffer.allocate(ikm.length + 4).put(ikm).putInt(block).array());
            int n = Math.min(h.length, length - off);
            System.arraycopy(h, 0, out, off, n);
            off += n;
        }
        return out;
    }

    private final class Seeded implements SuiteCrypto {
        private final SuiteCrypto d;

        Seeded(SuiteCrypto delegate) {
            this.d = delegate;
        }

        @Override
        public HpkeKeyPair generateHpkeKeyPair() {
            return d.deriveHpkeKeyPair(nextSeed(32));
        }

        @Override
        public SignatureKeyPair generateSignatureKeyPair() {
            // Ed25519/Ed448 private keys are seeds; the fixture uses Ed25519 only.
            if (d.suite().signature() != org.mlsbridge.mls.crypto.SignatureScheme.ED25519) {
                return d.generateSignatureKeyPair();
            }
            Secret priv = Secret.wrap(nextSeed(32));
            try {
                return new SignatureKeyPair(priv, d.signaturePublicKey(priv));
            } catch (CryptoException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CipherSuite suite() {
            return d.suite();
        }

        @Override
        public byte[] hash(byte[] data) {
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
        public HpkeKeyPair deriveHpkeKeyPair(byte[] ikm) {
            return d.deriveHpkeKeyPair(ikm);
        }

        @Override
        public Bytes hpkePublicKey(Secret privateKey) throws CryptoException {
            return d.hpkePublicKey(privateKey);
        }

        @Override
        public HpkeCiphertext hpkeSeal(Bytes publicKey, byte[] info, byte[] aad, byte[] plaintext)
                throws CryptoException {
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
}
