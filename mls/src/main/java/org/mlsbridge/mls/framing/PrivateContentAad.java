package org.mlsbridge.mls.framing;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.ContentType;

/** {@code PrivateContentAAD} of RFC 9420 §6.3.1: the clear header fields the content ciphertext is bound to. */
public record PrivateContentAad(Bytes groupId, long epoch, ContentType contentType, Bytes authenticatedData)
        implements TlsEncodable {
    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(groupId).uint64(epoch).uint8(contentType.id()).opaque(authenticatedData);
    }
}
