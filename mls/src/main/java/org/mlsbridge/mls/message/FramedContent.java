package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code FramedContent} of RFC 9420 §6.
 *
 * @param epoch unsigned 64-bit
 */
public record FramedContent(Bytes groupId, long epoch, Sender sender, Bytes authenticatedData, Content content)
        implements TlsEncodable {
    public FramedContent {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(authenticatedData, "authenticatedData");
        Objects.requireNonNull(content, "content");
    }

    public ContentType contentType() {
        return content.contentType();
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(groupId).uint64(epoch);
        sender.writeTo(w);
        w.opaque(authenticatedData);
        content.contentType().writeTo(w);
        content.writeBody(w);
    }

    public static FramedContent readFrom(TlsReader r) throws DecodeException {
        Bytes groupId = r.opaque();
        long epoch = r.uint64();
        Sender sender = Sender.readFrom(r);
        Bytes authenticatedData = r.opaque();
        ContentType type = ContentType.readFrom(r);
        return new FramedContent(groupId, epoch, sender, authenticatedData, Content.readBody(r, type));
    }
}
