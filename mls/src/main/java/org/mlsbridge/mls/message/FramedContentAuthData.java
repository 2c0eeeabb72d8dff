package org.mlsbridge.mls.message;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code FramedContentAuthData} of RFC 9420 §6.1. The confirmation tag is on the wire only for
 * commits, so decoding needs the content type; {@link AuthenticatedContent} and
 * {@link PublicMessage} check that the two agree.
 */
public record FramedContentAuthData(Bytes signature, Optional<Bytes> confirmationTag) implements TlsEncodable {
    public FramedContentAuthData {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(confirmationTag, "confirmationTag");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(signature);
        confirmationTag.ifPresent(w::opaque);
    }

    public static FramedContentAuthData readFrom(TlsReader r, ContentType type) throws DecodeException {
        Bytes signature = r.opaque();
        Optional<Bytes> tag = type == ContentType.COMMIT ? Optional.of(r.opaque()) : Optional.empty();
        return new FramedContentAuthData(signature, tag);
    }

    /** Fails unless the tag is present exactly for commits. */
    void checkMatches(ContentType type) {
        if (confirmationTag.isPresent() != (type == ContentType.COMMIT)) {
            throw new IllegalArgumentException("RFC 9420 §6.1: confirmation tag must be present exactly for commits,"
                    + " content type is " + type);
        }
    }
}
