package org.mlsbridge.vectors;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;

/** Comparisons that fail with a {@link VectorMismatch} naming what differed. */
public final class Check {
    private static final HexFormat HEX = HexFormat.of();

    private Check() {
    }

    public static void bytes(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new VectorMismatch(what + ": expected " + HEX.formatHex(expected) + " but got "
                    + (actual == null ? "null" : HEX.formatHex(actual)));
        }
    }

    public static void bytes(String what, Bytes expected, Bytes actual) {
        bytes(what, expected.toByteArray(), actual == null ? null : actual.toByteArray());
    }

    public static void bytes(String what, byte[] expected, Bytes actual) {
        bytes(what, expected, actual == null ? null : actual.toByteArray());
    }

    public static void equal(String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new VectorMismatch(what + ": expected " + expected + " but got " + actual);
        }
    }

    public static void isTrue(String what, boolean condition) {
        if (!condition) {
            throw new VectorMismatch(what);
        }
    }
}
