package org.mlsbridge.mls.codec;

/** Writes one value of type {@code T}, for types that are not {@link TlsEncodable} themselves. */
@FunctionalInterface
public interface TlsEncoder<T> {
    void write(TlsWriter writer, T value);
}
