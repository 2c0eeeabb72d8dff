package org.mlsbridge.bridge.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mlsbridge.mls.crypto.Secret;

/**
 * The 256-bit key under which the store encrypts every secret-bearing row. Load it with
 * {@link KeyEncryptionKeys}. The raw key is used only to derive two sub-keys (HMAC-SHA256 with
 * fixed labels) — for AES-256-GCM, for naming and cutting group-state chunks, and for the public
 * {@link #keyId()} — so the same bits never serve two algorithms.
 */
public final class KeyEncryptionKey {
    public static final int LENGTH = 32;
    private static final byte[] AEAD_LABEL = "mlsbridge store aes-256-gcm v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_LABEL = "mlsbridge store key id v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNK_ID_LABEL = "mlsbridge store chunk id v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKER_LABEL = "mlsbridge store chunker v1".getBytes(StandardCharsets.US_ASCII);

    private final Secret key;

    private KeyEncryptionKey(Secret key) {
        this.key = key;
    }

    /** Copies {@code key}, which must be 32 bytes. */
    public static KeyEncryptionKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a key-encryption key is " + LENGTH + " bytes, not " + key.length);
        }
        return new KeyEncryptionKey(Secret.of(key));
    }

    /**
     * A short public fingerprint (16 hex digits) to tell keys apart in error messages and logs; it
     * reveals nothing usable about the key.
     */
    public String keyId() {
        byte[] id = derive(ID_LABEL);
        try {
            return HexFormat.of().formatHex(id, 0, 8);
        } finally {
            Arrays.fill(id, (byte) 0);
        }
    }

    /** The AES-256-GCM key for rows; the caller wipes it. */
    byte[] aeadKey() {
        return derive(AEAD_LABEL);
    }

    /** The HMAC-SHA256 key naming group-state chunks; the caller wipes it. */
    byte[] chunkIdKey() {
        return derive(CHUNK_ID_LABEL);
    }

    /** The seed of the chunker's boundary function, so chunk lengths do not reveal content; the caller wipes it. */
    byte[] chunkerSeed() {
        return derive(CHUNKER_LABEL);
    }

    /** The raw key bytes, to write a generated key to its file; the caller wipes them. */
    byte[] rawKey() {
        return key.copy();
    }

    public void destroy() {
        key.destroy();
    }

    private byte[] derive(byte[] label) {
        byte[] raw = key.copy();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            return mac.doFinal(label);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[id " + keyId() + ", key redacted]";
    }
}
