package org.mlsbridge.bridge.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Seals and opens secret-bearing column values with AES-256-GCM under the store's key.
 *
 * <p>Sealed value, stable format 1: {@code uint8 format = 1 || nonce[12] || ciphertext || tag[16]}.
 * The nonce is random (96 bits) per seal, which is safe for well under 2^32 seals per key (NIST
 * SP 800-38D §8.3); a store seals a handful of values per message. Associated data:
 * {@code "mlsbridge-store/1" || uint8 format || uint32 len || table || (uint32 len || key part)*},
 * binding the value to its row ({@link RowId}) and to this schema generation.
 *
 * <p>One {@link Cipher} per thread, initialised afresh for every value: Cipher objects are stateful
 * and not thread-safe, and looking one up ({@link Cipher#getInstance}) costs more than sealing the
 * small values of a message's bookkeeping.
 */
final class RowCipher {
    static final int FORMAT = 1;
    static final String SCHEMA_TAG = "mlsbridge-store/1";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = 1 + NONCE + TAG_BITS / 8;

    private final SecretKeySpec key;
    private final SecureRandom random;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(RowCipher::newCipher);

    RowCipher(KeyEncryptionKey kek, SecureRandom random) {
        byte[] k = kek.aeadKey();
        try {
            this.key = new SecretKeySpec(k, "AES");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        this.random = random;
    }

    byte[] seal(RowId row, byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(row));
            byte[] out = new byte[1 + NONCE + c.getOutputSize(plaintext.length)];
            out[0] = FORMAT;
            System.arraycopy(nonce, 0, out, 1, NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }

    /**
     * Opens a sealed value; a value that is damaged, from another row, or sealed under another key
     * gives {@link StoreException.Kind#CORRUPT} naming the row (never its contents).
     */
    byte[] open(RowId row, byte[] sealed) {
        if (sealed == null || sealed.length < OVERHEAD) {
            throw corrupt(row, "is too short to be an encrypted value", null);
        }
        if (sealed[0] != FORMAT) {
            throw corrupt(row, "has unknown encryption format " + (sealed[0] & 0xff), null);
        }
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            c.updateAAD(associatedData(row));
            return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            throw corrupt(row, "fails authentication (damaged, moved from another row, or sealed under another key)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }

    private static StoreException corrupt(RowId row, String what, Throwable cause) {
        return new StoreException(StoreException.Kind.CORRUPT, "encrypted value in table " + row.table() + " " + what, cause);
    }

    static byte[] associatedData(RowId row) {
        byte[] tag = SCHEMA_TAG.getBytes(StandardCharsets.US_ASCII);
        byte[] table = row.table().getBytes(StandardCharsets.UTF_8);
        int size = tag.length + 1 + 4 + table.length;
        for (Bytes part : row.key()) {
            size += 4 + part.length();
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(tag).put((byte) FORMAT).putInt(table.length).put(table);
        for (Bytes part : row.key()) {
            b.putInt(part.length()).put(part.toByteArray());
        }
        return b.array();
    }
}
