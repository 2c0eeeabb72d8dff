package org.mlsbridge.mls.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret key material: never printed, compared in constant time, and wiped by {@link #destroy()}
 * where RFC 9420 says a value must be deleted (§9.2, §8). Reading a destroyed secret is a bug and
 * throws {@link IllegalStateException}.
 */
public final class Secret {
    private final byte[] value;
    private volatile boolean destroyed;

    private Secret(byte[] owned) {
        this.value = owned;
    }

    /** Copies {@code value}. */
    public static Secret of(byte[] value) {
        return new Secret(value.clone());
    }

    /** Takes ownership of {@code value}; the caller must drop its reference. */
    public static Secret wrap(byte[] value) {
        return new Secret(value);
    }

    /** The all-zero secret of the given length, used where RFC 9420 says "0" (§8). */
    public static Secret zero(int length) {
        return new Secret(new byte[length]);
    }

    public int length() {
        return value.length;
    }

    /** A fresh copy of the secret value; the caller should wipe it when done. */
    public byte[] copy() {
        checkAlive();
        return value.clone();
    }

    /**
     * The internal array, for hot paths inside the crypto layer only. Callers must neither modify
     * nor retain it.
     */
    byte[] borrow() {
        checkAlive();
        return value;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Overwrites the value with zeros; this object is unusable afterwards. */
    public void destroy() {
        Arrays.fill(value, (byte) 0);
        destroyed = true;
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("secret was destroyed");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && !destroyed && !s.destroyed && MessageDigest.isEqual(value, s.value);
    }

    /** Depends on the length only, so hashing never leaks the value. */
    @Override
    public int hashCode() {
        return value.length;
    }

    @Override
    public String toString() {
        return "Secret[" + value.length + " bytes, redacted]";
    }
}
