package org.mlsbridge.mls.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hash, HMAC, HKDF and AEAD through the JDK, whose AES-GCM and SHA-2 use CPU instructions
 * (AES-NI, SHA-NI) and are several times faster than BouncyCastle's pure-Java engines.
 * A new engine per call: JCA engines are not thread-safe.
 */
final class JdkSymmetric {
    private final KdfId kdf;
    private final AeadId aead;

    JdkSymmetric(KdfId kdf, AeadId aead) {
        this.kdf = kdf;
        this.aead = aead;
    }

    /** Hash, HMAC and HKDF only, for the KDF inside a DHKEM. */
    JdkSymmetric(KdfId kdf) {
        this.kdf = kdf;
        this.aead = null;
    }

    byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(kdf.digestName()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + kdf.digestName(), e);
        }
    }

    byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(kdf.macName());
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
            Mac mac = Mac.getInstance(kdf.macName());
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

    private Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        if (aead == null) {
            throw new IllegalStateException("this JdkSymmetric has no AEAD");
        }
        if (key.length != aead.keyLength() || nonce.length != aead.nonceLength()) {
            throw new IllegalArgumentException("AEAD key or nonce has the wrong length");
        }
        if (aead == AeadId.CHACHA20_POLY1305) {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            return c;
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(AeadId.TAG_LENGTH * 8, nonce));
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
