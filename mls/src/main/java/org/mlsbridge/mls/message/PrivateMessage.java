package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code PrivateMessage} of RFC 9420 §6.3.
 *
 * @param epoch unsigned 64-bit
 */
public record PrivateMessage(Bytes groupId, long epoch, ContentType contentType, Bytes authenticatedData,
        Bytes encryptedSenderData, Bytes ciphertext) implements TlsEncodable, MlsMessageBody {
    public PrivateMessage {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(authenticatedData, "authenticatedData");
        Objects.requireNonNull(encryptedSenderData, "encryptedSenderData");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.PRIVATE_MESSAGE;
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(groupId).uint64(epoch);
        contentType.writeTo(w);
        w.opaque(authenticatedData).opaque(encryptedSenderData).opaque(ciphertext);
    }

    public static PrivateMessage readFrom(TlsReader r) throws DecodeException {
        return new PrivateMessage(r.opaque(), r.uint64(), ContentType.readFrom(r), r.opaque(), r.opaque(),
                r.opaque());
    }
}
