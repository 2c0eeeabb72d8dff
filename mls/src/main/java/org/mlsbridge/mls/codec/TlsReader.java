package org.mlsbridge.mls.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.FailureReason;

/**
 * Reads the TLS presentation language as profiled by RFC 9420 §2.1: fixed-width big-endian
 * integers, and variable-length vectors whose length is a QUIC-style varint (§2.1.2).
 *
 * <p>Every length is checked against the bytes that remain before anything is allocated, so a
 * hostile length prefix costs nothing. All failures are {@link DecodeException}s.
 */
public final class TlsReader {
    /** RFC 9420 §2.1.2: a varint of 4 bytes carries at most 30 bits. */
    public static final int MAX_VARINT = (1 << 30) - 1;

    private final byte[] buf;
    private int pos;
    private final int limit;

    private TlsReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    /** A reader over {@code data}; the array is not copied and must not change while reading. */
    public static TlsReader of(byte[] data) {
        return new TlsReader(data, 0, data.length);
    }

    public static TlsReader of(Bytes data) {
        return of(data.toByteArray());
    }

    /** Decodes one whole top-level structure: trailing bytes are an error. */
    public static <T> T decode(byte[] data, TlsDecoder<T> decoder) throws DecodeException {
        TlsReader r = of(data);
        T value = decoder.read(r);
        r.finish();
        return value;
    }

    public static <T> T decode(Bytes data, TlsDecoder<T> decoder) throws DecodeException {
        return decode(data.toByteArray(), decoder);
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    /** Offset into the underlying buffer; with {@link #slice} it recovers the raw bytes of a field. */
    public int position() {
        return pos;
    }

    /** The raw bytes between two positions previously returned by {@link #position()}. */
    public Bytes slice(int from, int to) {
        if (from < 0 || to < from || to > limit) {
            throw new IllegalArgumentException("bad slice " + from + ".." + to);
        }
        byte[] out = new byte[to - from];
        System.arraycopy(buf, from, out, 0, out.length);
        return Bytes.wrap(out);
    }

    /** Fails if anything is left: a top-level structure must use the whole input. */
    public void finish() throws DecodeException {
        if (pos != limit) {
            throw new DecodeException((limit - pos) + " trailing bytes after the structure");
        }
    }

    private void need(long n, String what) throws DecodeException {
        // A negative count can only come from a length a decoder computed out of hostile bytes
        // (say a uint32 cast to int): refuse it like any other impossible length.
        if (n < 0) {
            throw new DecodeException(what + " has a negative length " + n);
        }
        if (n > limit - pos) {
            throw new DecodeException(what + " needs " + n + " bytes but only " + (limit - pos) + " remain");
        }
    }

    public int uint8() throws DecodeException {
        need(1, "uint8");
        return buf[pos++] & 0xff;
    }

    public int uint16() throws DecodeException {
        need(2, "uint16");
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public long uint32() throws DecodeException {
        need(4, "uint32");
        long v = ((long) (buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16)
                | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /** A uint32 that must also fit a non-negative Java int (indices, counts, generations). */
    public int uint32AsInt(String what) throws DecodeException {
        long v = uint32();
        if (v > Integer.MAX_VALUE) {
            throw new DecodeException(what + " " + v + " is out of range");
        }
        return (int) v;
    }

    /** A uint64; values above 2^63-1 come back negative and must be read as unsigned. */
    public long uint64() throws DecodeException {
        need(8, "uint64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    public boolean bool() throws DecodeException {
        int v = uint8();
        return switch (v) {
            case 0 -> false;
            case 1 -> true;
            default -> throw new DecodeException("boolean must be 0 or 1, got " + v);
        };
    }

    /** RFC 9420 §2.1.2 variable-length integer; non-minimal encodings and the 8-byte form are rejected. */
    public int varint() throws DecodeException {
        need(1, "varint");
        int first = buf[pos] & 0xff;
        int prefix = first >>> 6;
        if (prefix == 3) {
            throw new DecodeException("varint with prefix 0b11 is not allowed in MLS");
        }
        int len = 1 << prefix;
        need(len, "varint");
        int v = first & 0x3f;
        for (int i = 1; i < len; i++) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        int minLen = v <= 0x3f ? 1 : v <= 0x3fff ? 2 : 4;
        if (len != minLen) {
            throw new DecodeException("varint " + v + " is not minimally encoded");
        }
        pos += len;
        return v;
    }

    /** Exactly {@code n} bytes (a fixed-size array in the TLS presentation language). */
    public Bytes fixed(int n) throws DecodeException {
        need(n, "fixed field");
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return Bytes.wrap(out);
    }

    /** {@code opaque data<V>}: a varint length then that many bytes. */
    public Bytes opaque() throws DecodeException {
        int len = varint();
        return fixed(len);
    }

    /** {@code opaque data<V>} as a fresh array (for secrets, which must not live in {@link Bytes}). */
    public byte[] opaqueArray() throws DecodeException {
        int len = varint();
        need(len, "opaque");
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    /** {@code T items<V>}: a varint byte length, then items until exactly that many bytes are used. */
    public <T> List<T> vector(TlsDecoder<T> item) throws DecodeException {
        TlsReader inner = sub(varint(), "vector");
        List<T> out = new ArrayList<>();
        while (inner.hasRemaining()) {
            out.add(item.read(inner));
        }
        return List.copyOf(out);
    }

    /**
     * {@link #vector(TlsDecoder)} that stops as soon as it holds more than {@code maxItems} items,
     * so a hostile length prefix costs at most {@code maxItems + 1} item decodings.
     *
     * @throws DecodeException of reason {@link FailureReason#TOO_LARGE} beyond the limit
     */
    public <T> List<T> vector(TlsDecoder<T> item, long maxItems, String what) throws DecodeException {
        TlsReader inner = sub(varint(), "vector");
        List<T> out = new ArrayList<>();
        while (inner.hasRemaining()) {
            if (out.size() >= maxItems) {
                throw new DecodeException(FailureReason.TOO_LARGE, what + " has more than " + maxItems + " entries");
            }
            out.add(item.read(inner));
        }
        return List.copyOf(out);
    }

    /** {@code optional<T>}: a presence byte (0 or 1), then the value when present. */
    public <T> Optional<T> optional(TlsDecoder<T> item) throws DecodeException {
        return bool() ? Optional.of(item.read(this)) : Optional.empty();
    }

    /**
     * A reader over the next {@code len} bytes, which this reader skips. Items decoded from it
     * cannot read past the enclosing length prefix.
     */
    public TlsReader sub(int len, String what) throws DecodeException {
        need(len, what);
        TlsReader inner = new TlsReader(buf, pos, pos + len);
        pos += len;
        return inner;
    }
}
