package org.mlsbridge.mls.framing;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.ContentType;

/** {@code SenderDataAAD} of RFC 9420 §6.3.2: binds the encrypted sender data to its PrivateMessage header. */
public record SenderDataAad(Bytes groupId, long epoch, ContentType contentType) implements TlsEncodable {
    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(groupId).uint64(epoch).uint8(contentType.id());
    }
}
