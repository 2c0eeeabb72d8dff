package org.mlsbridge.mls.codec;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Immutable public byte string. Records hold {@code Bytes} rather than {@code byte[]} so that
 * {@code equals} compares content, and so nobody can mutate a decoded structure behind our back.
 * Secret material uses {@link org.mlsbridge.mls.crypto.Secret} instead.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] data;

    private Bytes(byte[] owned) {
        this.data = owned;
    }

    /** Copies {@code data}. */
    public static Bytes of(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /** Takes ownership of {@code data}; the caller must not modify it afterwards. */
    public static Bytes wrap(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data);
    }

    public static Bytes fromHex(String hex) {
        return wrap(HEX.parseHex(hex));
    }

    public int length() {
        return data.length;
    }

    public boolean isEmpty() {
        return data.length == 0;
    }

    public byte get(int index) {
        return data[index];
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** Writes the content into {@code dest} at {@code offset} without an intermediate copy. */
    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(data, 0, dest, offset, data.length);
    }

    public String hex() {
        return HEX.formatHex(data);
    }

    public Bytes concat(Bytes other) {
        byte[] out = Arrays.copyOf(data, data.length + other.data.length);
        System.arraycopy(other.data, 0, out, data.length, other.data.length);
        return wrap(out);
    }

    /** Content comparison in constant time for equal lengths. */
    public boolean constantTimeEquals(Bytes other) {
        return MessageDigest.isEqual(data, other.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(data, o.data);
    }

    @Override
    public String toString() {
        return data.length <= 32 ? hex() : HEX.formatHex(data, 0, 32) + "...(" + data.length + " bytes)";
    }
}
