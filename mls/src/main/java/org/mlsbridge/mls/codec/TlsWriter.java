package org.mlsbridge.mls.codec;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/** Writes the TLS presentation language of RFC 9420 §2.1 into a growing buffer. */
public final class TlsWriter {
    private byte[] buf;
    private int len;

    public TlsWriter() {
        this(64);
    }

    public TlsWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /**
     * The bytes written, after which the writer's own buffer is zeroed and emptied: for
     * encodings that hold secrets, so the only copy left is the caller's (which it wipes).
     */
    public byte[] toByteArrayAndWipe() {
        byte[] out = toByteArray();
        Arrays.fill(buf, (byte) 0);
        len = 0;
        return out;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            byte[] old = buf;
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            // A buffer outgrown while writing secrets must not linger in the heap.
            Arrays.fill(old, (byte) 0);
        }
    }

    public TlsWriter uint8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("uint8 out of range: " + v);
        }
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter uint16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("uint16 out of range: " + v);
        }
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter uint32(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("uint32 out of range: " + v);
        }
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    /** Writes all 64 bits; negative values stand for unsigned values above 2^63-1. */
    public TlsWriter uint64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
        return this;
    }

    public TlsWriter bool(boolean v) {
        return uint8(v ? 1 : 0);
    }

    /** RFC 9420 §2.1.2 varint, always in its minimal form. */
    public TlsWriter varint(int v) {
        if (v < 0 || v > TlsReader.MAX_VARINT) {
            throw new IllegalArgumentException("varint out of range: " + v);
        }
        if (v <= 0x3f) {
            return uint8(v);
        } else if (v <= 0x3fff) {
            return uint16(0x4000 | v);
        } else {
            return uint32(0x80000000L | v);
        }
    }

    public TlsWriter raw(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        return this;
    }

    public TlsWriter raw(Bytes data) {
        ensure(data.length());
        data.copyTo(buf, len);
        len += data.length();
        return this;
    }

    public TlsWriter opaque(byte[] data) {
        varint(data.length);
        return raw(data);
    }

    public TlsWriter opaque(Bytes data) {
        varint(data.length());
        return raw(data);
    }

    /** {@code T items<V>} of self-encoding items. */
    public TlsWriter vector(Collection<? extends TlsEncodable> items) {
        int start = beginVector();
        for (TlsEncodable item : items) {
            item.writeTo(this);
        }
        return endVector(start);
    }

    public <T> TlsWriter vector(Collection<? extends T> items, TlsEncoder<? super T> encoder) {
        int start = beginVector();
        for (T item : items) {
            encoder.write(this, item);
        }
        return endVector(start);
    }

    public <T extends TlsEncodable> TlsWriter optional(Optional<T> value) {
        if (value.isPresent()) {
            uint8(1);
            value.get().writeTo(this);
        } else {
            uint8(0);
        }
        return this;
    }

    public <T> TlsWriter optional(Optional<T> value, TlsEncoder<? super T> encoder) {
        if (value.isPresent()) {
            uint8(1);
            encoder.write(this, value.get());
        } else {
            uint8(0);
        }
        return this;
    }

    /**
     * Starts a length-prefixed region whose length is not yet known; pair with {@link #endVector}.
     * The content is written in place and shifted once the length prefix size is known, which
     * avoids a temporary buffer per nested vector.
     */
    public int beginVector() {
        return len;
    }

    public TlsWriter endVector(int start) {
        int contentLen = len - start;
        if (contentLen > TlsReader.MAX_VARINT) {
            throw new IllegalArgumentException("vector too long: " + contentLen);
        }
        int prefix = contentLen <= 0x3f ? 1 : contentLen <= 0x3fff ? 2 : 4;
        ensure(prefix);
        System.arraycopy(buf, start, buf, start + prefix, contentLen);
        len = start;
        varint(contentLen);
        len = start + prefix + contentLen;
        return this;
    }
}
