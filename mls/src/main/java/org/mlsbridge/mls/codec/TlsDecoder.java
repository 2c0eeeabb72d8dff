package org.mlsbridge.mls.codec;

/** Reads one value of type {@code T}; the counterpart of {@link TlsEncodable#writeTo}. */
@FunctionalInterface
public interface TlsDecoder<T> {
    T read(TlsReader reader) throws DecodeException;
}
