package org.mlsbridge.mls.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and malformed input: every failure must be a {@link DecodeException}, nothing else. */
class TlsReaderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static TlsReader reader(String hex) {
        return TlsReader.of(HEX.parseHex(hex));
    }

    private static void rejects(String hex, TlsDecoder<?> decoder) {
        assertThatThrownBy(() -> decoder.read(reader(hex))).isExactlyInstanceOf(DecodeException.class);
    }

    // ---- truncated input ----------------------------------------------------------------------

    @Test
    void fixedWidthIntegersOnTruncatedInput() {
        rejects("", TlsReader::uint8);
        rejects("00", TlsReader::uint16);
        rejects("", TlsReader::uint16);
        rejects("000000", TlsReader::uint32);
        rejects("000000", r -> r.uint32AsInt("count"));
        rejects("00000000000000", TlsReader::uint64);
        rejects("", TlsReader::bool);
    }

    @Test
    void varintOnTruncatedInput() {
        rejects("", TlsReader::varint);
        rejects("40", TlsReader::varint);
        rejects("80", TlsReader::varint);
        rejects("800040", TlsReader::varint);
    }

    @Test
    void vectorsOnTruncatedInput() {
        rejects("", TlsReader::opaque);
        rejects("", TlsReader::opaqueArray);
        rejects("05010203", TlsReader::opaque);
        rejects("05010203", TlsReader::opaqueArray);
        rejects("4005", TlsReader::opaque);
        rejects("03", r -> r.vector(TlsReader::uint8));
        rejects("0401", r -> r.vector(TlsReader::uint8));
        rejects("01", r -> r.fixed(2));
        rejects("01", r -> r.sub(2, "struct"));
        rejects("01", r -> r.optional(TlsReader::uint16));
        rejects("0102", r -> r.optional(TlsReader::uint16));
    }

    @Test
    void itemRunningPastItsVectorIsRejected() {
        // the vector holds 3 bytes but its items are uint16: the last one straddles the end
        rejects("03000100ff", r -> r.vector(TlsReader::uint16));
        // an opaque inside a vector may not borrow bytes from outside the vector
        rejects("020500000000", r -> r.vector(TlsReader::opaque));
    }

    // ---- oversized lengths ----------------------------------------------------------------------

    @Test
    void hugeLengthWithFewBytesLeftIsRejectedWithoutAllocating() {
        // varint 2^30-1, then only 3 bytes
        String hostile = "bfffffff010203";
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (TlsDecoder<?> d : List.<TlsDecoder<?>>of(TlsReader::opaque, TlsReader::opaqueArray,
                r -> r.vector(TlsReader::uint8), r -> r.sub(r.varint(), "struct"))) {
            long before = mx.getCurrentThreadAllocatedBytes();
            rejects(hostile, d);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated while rejecting").isLessThan(1 << 20);
        }
    }

    @Test
    void lengthJustBeyondTheInputIsRejected() throws DecodeException {
        rejects("04010203", TlsReader::opaque);
        assertThat(reader("03010203").opaque().hex()).isEqualTo("010203");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -2, Integer.MIN_VALUE})
    void negativeLengthsFromCallersAreDecodeErrors(int n) {
        // A struct decoder might compute a length from a uint32 cast to int; it must not leak
        // NegativeArraySizeException or build a reader with an inverted range.
        rejects("00010203", r -> r.fixed(n));
        rejects("00010203", r -> r.sub(n, "struct"));
    }

    @Test
    void uint32AsIntRejectsValuesAboveIntMax() {
        rejects("80000000", r -> r.uint32AsInt("generation"));
        assertThat(TlsReaderTest.<Integer>assertDecodes("7fffffff", r -> r.uint32AsInt("generation"))).isEqualTo(Integer.MAX_VALUE);
    }

    // ---- varint encoding rules ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"4000", "403f", "80000000", "8000003f", "80003fff"})
    void nonMinimalVarintsAreRejected(String hex) {
        rejects(hex, TlsReader::varint);
        rejects(hex, TlsReader::opaque);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0", "c000000000000000", "c000000000000001", "ffffffffffffffff"})
    void varintPrefix11IsRejected(String hex) {
        rejects(hex, TlsReader::varint);
        rejects(hex, r -> r.vector(TlsReader::uint8));
    }

    @Test
    void minimalVarintsAtEveryBoundaryDecode() {
        assertThat(TlsReaderTest.<Integer>assertDecodes("00", TlsReader::varint)).isZero();
        assertThat(TlsReaderTest.<Integer>assertDecodes("3f", TlsReader::varint)).isEqualTo(63);
        assertThat(TlsReaderTest.<Integer>assertDecodes("4040", TlsReader::varint)).isEqualTo(64);
        assertThat(TlsReaderTest.<Integer>assertDecodes("7fff", TlsReader::varint)).isEqualTo(16383);
        assertThat(TlsReaderTest.<Integer>assertDecodes("80004000", TlsReader::varint)).isEqualTo(16384);
        assertThat(TlsReaderTest.<Integer>assertDecodes("bfffffff", TlsReader::varint)).isEqualTo(TlsReader.MAX_VARINT);
    }

    // ---- trailing bytes and booleans -----------------------------------------------------------------

    @Test
    void trailingBytesAreRejectedAtTopLevel() {
        assertThatThrownBy(() -> TlsReader.decode(HEX.parseHex("0102"), TlsReader::uint8))
                .isExactlyInstanceOf(DecodeException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> TlsReader.decode(Bytes.fromHex("0201020304"), TlsReader::opaque))
                .isExactlyInstanceOf(DecodeException.class);
        TlsReader r = reader("0001");
        assertThatThrownBy(r::finish).isExactlyInstanceOf(DecodeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"02", "ff", "80"})
    void badBooleansAreRejected(String hex) {
        rejects(hex, TlsReader::bool);
        rejects(hex + "00", r -> r.optional(TlsReader::uint8));
    }

    @Test
    void wellFormedValuesDecode() throws DecodeException {
        TlsReader r = reader("01" + "0203" + "04050607" + "08090a0b0c0d0e0f" + "01" + "00" + "0201ff" + "01" + "2a");
        assertThat(r.uint8()).isEqualTo(1);
        assertThat(r.uint16()).isEqualTo(0x0203);
        assertThat(r.uint32()).isEqualTo(0x04050607L);
        assertThat(r.uint64()).isEqualTo(0x08090a0b0c0d0e0fL);
        assertThat(r.bool()).isTrue();
        assertThat(r.bool()).isFalse();
        assertThat(r.vector(TlsReader::uint8)).containsExactly(1, 0xff);
        assertThat(r.optional(TlsReader::uint8)).isEqualTo(Optional.of(42));
        r.finish();
    }

    private static <T> T assertDecodes(String hex, TlsDecoder<T> d) {
        try {
            return TlsReader.decode(HEX.parseHex(hex), d);
        } catch (DecodeException e) {
            throw new AssertionError("expected " + hex + " to decode", e);
        }
    }
}
