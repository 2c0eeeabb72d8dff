package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsDecoder;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;

/** Lookup in extension lists and the plumbing shared by the typed extension views. */
public final class Extensions {
    private Extensions() {
    }

    /** The first extension of {@code type}; RFC 9420 §13 allows at most one per list. */
    public static Optional<Extension> find(List<Extension> extensions, int type) {
        return extensions.stream().filter(e -> e.type() == type).findFirst();
    }

    /** An extension holding the encoding of {@code value}. */
    public static Extension of(int type, TlsEncodable value) {
        return new Extension(type, Bytes.wrap(value.toByteArray()));
    }

    /** Decodes the whole data of {@code ext}, which must be of {@code type}. */
    public static <T> T parse(Extension ext, int type, TlsDecoder<T> decoder) throws DecodeException {
        if (ext.type() != type) {
            throw new IllegalArgumentException("extension type " + ext.type() + " is not " + type);
        }
        return TlsReader.decode(ext.data(), decoder);
    }

    /** Finds and decodes the extension of {@code type}, if present. */
    public static <T> Optional<T> findParsed(List<Extension> extensions, int type, TlsDecoder<T> decoder)
            throws DecodeException {
        Optional<Extension> ext = find(extensions, type);
        return ext.isPresent() ? Optional.of(parse(ext.get(), type, decoder)) : Optional.empty();
    }
}
