package org.mlsbridge.mls.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hash, HMAC, HKDF and AEAD through the JDK, whose AES-GCM and SHA-2 use CPU instructions
 * (AES-NI, SHA-NI) and are several times faster than BouncyCastle's pure-Java engines.
 * JCA engines are not thread-safe, and looking one up costs about as much as a short HMAC: each
 * thread keeps its own digest, HMAC and decrypting cipher, initialised afresh for every use.
 * Encryption gets a new cipher per call, so the JDK's own refusal of a repeated AES-GCM key and
 * nonce is never confused by an engine's earlier use.
 */
final class JdkSymmetric {
    private final KdfId kdf;
    private final AeadId aead;
    private final ThreadLocal<MessageDigest> digests;
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<Cipher> decrypters;

    JdkSymmetric(KdfId kdf, AeadId aead) {
        this.kdf = kdf;
        this.aead = aead;
        this.digests = ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance(kdf.digestName())));
        this.macs = ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance(kdf.macName())));
        this.decrypters = ThreadLocal.withInitial(() -> engine(this::newCipher));
    }

    /** Hash, HMAC and HKDF only, for the KDF inside a DHKEM. */
    JdkSymmetric(KdfId kdf) {
        this(kdf, null);
    }

    @FunctionalInterface
    private interface EngineLookup<T> {
        T get() throws GeneralSecurityException;
    }

    private static <T> T engine(EngineLookup<T> lookup) {
        try {
            return lookup.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks an algorithm: " + e.getMessage(), e);
        }
    }

    byte[] hash(byte[] data) {
        return digests.get().digest(data);
    }

    byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = macs.get();
            // HMAC pads keys with zeros to the block size, so an empty key equals Nh zero bytes;
            // SecretKeySpec refuses empty keys, hence the substitution.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[kdf.hashLength()] : key, kdf.macName()));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
    }

    byte[] extract(byte[] salt, byte[] ikm) {
        return mac(salt, ikm);
    }

    byte[] expand(byte[] prk, byte[] info, int length) {
        int nh = kdf.hashLength();
        if (length < 0 || length > 255 * nh) {
            throw new IllegalArgumentException("HKDF-Expand length out of range: " + length);
        }
        try {
            Mac mac = macs.get();
            mac.init(new SecretKeySpec(prk.length == 0 ? new byte[nh] : prk, kdf.macName()));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(nh, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-Expand failed", e);
        }
    }

    private Cipher newCipher() throws GeneralSecurityException {
        if (aead == null) {
            throw new IllegalStateException("this JdkSymmetric has no AEAD");
        }
        return Cipher.getInstance(aead == AeadId.CHACHA20_POLY1305 ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
    }

    private Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        if (aead == null) {
            throw new IllegalStateException("this JdkSymmetric has no AEAD");
        }
        if (key.length != aead.keyLength() || nonce.length != aead.nonceLength()) {
            throw new IllegalArgumentException("AEAD key or nonce has the wrong length");
        }
        Cipher c = mode == Cipher.DECRYPT_MODE ? decrypters.get() : newCipher();
        if (aead == AeadId.CHACHA20_POLY1305) {
            c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(AeadId.TAG_LENGTH * 8, nonce));
        }
        return c;
    }

    byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            c.updateAAD(aad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD seal failed", e);
        }
    }

    byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException {
        if (ciphertext.length < AeadId.TAG_LENGTH) {
            throw new CryptoException("AEAD ciphertext shorter than its tag");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, nonce);
            c.updateAAD(aad);
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new CryptoException("AEAD authentication failed");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AEAD open failed: " + e.getMessage());
        }
    }
}
