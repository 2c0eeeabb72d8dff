package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/** {@code AuthenticatedContent} of RFC 9420 §6.1: content, its wire format and its authentication. */
public record AuthenticatedContent(WireFormat wireFormat, FramedContent content, FramedContentAuthData auth)
        implements TlsEncodable {
    public AuthenticatedContent {
        Objects.requireNonNull(wireFormat, "wireFormat");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(auth, "auth");
        auth.checkMatches(content.contentType());
    }

    /** {@code ProposalRef} (§5.2) of the proposal this content carries, for commits that refer to it. */
    public Bytes proposalRef(SuiteCrypto crypto) {
        if (content.contentType() != ContentType.PROPOSAL) {
            throw new IllegalStateException("not a proposal: " + content.contentType());
        }
        return crypto.makeProposalRef(toByteArray());
    }

    @Override
    public void writeTo(TlsWriter w) {
        wireFormat.writeTo(w);
        content.writeTo(w);
        auth.writeTo(w);
    }

    public static AuthenticatedContent readFrom(TlsReader r) throws DecodeException {
        WireFormat wireFormat = WireFormat.readFrom(r);
        FramedContent content = FramedContent.readFrom(r);
        return new AuthenticatedContent(wireFormat, content, FramedContentAuthData.readFrom(r, content.contentType()));
    }
}
