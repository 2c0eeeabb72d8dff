package org.mlsbridge.mls.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Round trips through TlsWriter/TlsReader, and random garbage never escaping as anything but DecodeException. */
class TlsCodecPropertiesTest {

    private static <T> T roundTrip(TlsEncoder<T> enc, TlsDecoder<T> dec, T value) throws DecodeException {
        TlsWriter w = new TlsWriter(1);
        enc.write(w, value);
        return TlsReader.decode(w.toByteArray(), dec);
    }

    @Property
    void uint8RoundTrips(@ForAll @IntRange(min = 0, max = 0xff) int v) throws DecodeException {
        assertThat(roundTrip(TlsWriter::uint8, TlsReader::uint8, v)).isEqualTo(v);
    }

    @Property
    void uint16RoundTrips(@ForAll @IntRange(min = 0, max = 0xffff) int v) throws DecodeException {
        assertThat(roundTrip(TlsWriter::uint16, TlsReader::uint16, v)).isEqualTo(v);
    }

    @Property
    void uint32RoundTrips(@ForAll @LongRange(min = 0, max = 0xffffffffL) long v) throws DecodeException {
        assertThat(roundTrip(TlsWriter::uint32, TlsReader::uint32, v)).isEqualTo(v);
    }

    @Property
    void uint64RoundTripsAllBitPatterns(@ForAll long v) throws DecodeException {
        assertThat(roundTrip(TlsWriter::uint64, TlsReader::uint64, v)).isEqualTo(v);
    }

    @Property
    void boolRoundTrips(@ForAll boolean v) throws DecodeException {
        assertThat(roundTrip(TlsWriter::bool, TlsReader::bool, v)).isEqualTo(v);
    }

    @Property
    void varintRoundTripsInMinimalForm(@ForAll @IntRange(min = 0, max = TlsReader.MAX_VARINT) int v)
            throws DecodeException {
        byte[] enc = new TlsWriter().varint(v).toByteArray();
        int expectedLength = v <= 0x3f ? 1 : v <= 0x3fff ? 2 : 4;
        assertThat(enc).hasSize(expectedLength);
        assertThat(TlsReader.decode(enc, TlsReader::varint)).isEqualTo(v);
    }

    @Property
    void outOfRangeValuesAreRefusedByTheWriter(@ForAll int v) {
        if (v < 0 || v > 0xff) {
            assertThatThrownBy(() -> new TlsWriter().uint8(v)).isInstanceOf(IllegalArgumentException.class);
        }
        if (v < 0 || v > 0xffff) {
            assertThatThrownBy(() -> new TlsWriter().uint16(v)).isInstanceOf(IllegalArgumentException.class);
        }
        if (v < 0 || v > TlsReader.MAX_VARINT) {
            assertThatThrownBy(() -> new TlsWriter().varint(v)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<byte[]> opaques() {
        // sizes that cross the 1-, 2- and 4-byte length prefixes
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(80)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMinSize(16_370).ofMaxSize(16_400)));
    }

    @Property(tries = 300)
    void opaqueRoundTrips(@ForAll("opaques") byte[] data) throws DecodeException {
        byte[] enc = new TlsWriter().opaque(data).toByteArray();
        assertThat(TlsReader.decode(enc, TlsReader::opaqueArray)).isEqualTo(data);
        assertThat(TlsReader.decode(enc, TlsReader::opaque)).isEqualTo(Bytes.of(data));
        // the vector form built with begin/endVector is byte-identical
        TlsWriter w = new TlsWriter(1);
        int start = w.beginVector();
        w.raw(data);
        w.endVector(start);
        assertThat(w.toByteArray()).isEqualTo(enc);
    }

    @Property(tries = 300)
    void nestedVectorsAndOptionalsRoundTrip(
            @ForAll @Size(max = 6) List<@Size(max = 6) List<Optional<@Size(max = 70) byte[]>>> value)
            throws DecodeException {
        List<List<Optional<Bytes>>> expected = new ArrayList<>();
        for (List<Optional<byte[]>> inner : value) {
            expected.add(inner.stream().map(o -> o.map(Bytes::of)).toList());
        }
        TlsWriter w = new TlsWriter(1);
        w.vector(expected, (ww, inner) -> ww.vector(inner, (www, o) -> www.optional(o, TlsWriter::opaque)));
        // a trailing field after the nested vector must stay aligned
        w.uint16(0xbeef);
        TlsReader r = TlsReader.of(w.toByteArray());
        List<List<Optional<Bytes>>> decoded = r.vector(rr -> rr.vector(rrr -> rrr.optional(TlsReader::opaque)));
        assertThat(r.uint16()).isEqualTo(0xbeef);
        r.finish();
        assertThat(decoded).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void garbageOnlyEverFailsWithDecodeException(@ForAll @Size(max = 40) byte[] garbage) {
        TlsDecoder<Object> composite = r -> {
            List<Optional<Bytes>> a = r.vector(rr -> rr.optional(TlsReader::opaque));
            int b = r.uint32AsInt("count");
            return List.of(a, b, r.varint(), r.fixed(r.uint8()), r.bool(), r.uint64());
        };
        try {
            TlsReader.decode(garbage, composite);
        } catch (DecodeException expected) {
            // the only acceptable failure
        }
    }
}
