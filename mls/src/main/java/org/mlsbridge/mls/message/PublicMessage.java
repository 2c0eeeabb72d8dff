package org.mlsbridge.mls.message;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code PublicMessage} of RFC 9420 §6.2. The membership tag is on the wire exactly when the
 * sender is a member; the constructor enforces that so every value encodes as it decodes.
 */
public record PublicMessage(FramedContent content, FramedContentAuthData auth, Optional<Bytes> membershipTag)
        implements TlsEncodable, MlsMessageBody {
    public PublicMessage {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(membershipTag, "membershipTag");
        auth.checkMatches(content.contentType());
        if (membershipTag.isPresent() != (content.sender() instanceof Sender.Member)) {
            throw new IllegalArgumentException("RFC 9420 §6.2: membership tag must be present exactly for member senders");
        }
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.PUBLIC_MESSAGE;
    }

    /** The authenticated content this message carries, with wire format public_message. */
    public AuthenticatedContent authenticatedContent() {
        return new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, content, auth);
    }

    @Override
    public void writeTo(TlsWriter w) {
        content.writeTo(w);
        auth.writeTo(w);
        membershipTag.ifPresent(w::opaque);
    }

    public static PublicMessage readFrom(TlsReader r) throws DecodeException {
        FramedContent content = FramedContent.readFrom(r);
        FramedContentAuthData auth = FramedContentAuthData.readFrom(r, content.contentType());
        Optional<Bytes> tag = content.sender() instanceof Sender.Member ? Optional.of(r.opaque()) : Optional.empty();
        return new PublicMessage(content, auth, tag);
    }
}
