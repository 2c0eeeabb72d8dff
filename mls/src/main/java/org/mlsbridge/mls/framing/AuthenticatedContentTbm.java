package org.mlsbridge.mls.framing;

import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.FramedContentAuthData;

/** {@code AuthenticatedContentTBM} of RFC 9420 §6.2: what the membership tag of a PublicMessage covers. */
public record AuthenticatedContentTbm(FramedContentTbs contentTbs, FramedContentAuthData auth) implements TlsEncodable {
    @Override
    public void writeTo(TlsWriter w) {
        contentTbs.writeTo(w);
        auth.writeTo(w);
    }
}
