package org.mlsbridge.mls.framing;

import java.util.Objects;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.FramedContentAuthData;

/**
 * {@code PrivateMessageContent} of RFC 9420 §6.3.1: the plaintext inside a PrivateMessage. The
 * content body (its type is in the clear header), the authentication data, then zero padding.
 *
 * @param paddingLength number of zero bytes after {@code auth}
 */
public record PrivateMessageContent(Content content, FramedContentAuthData auth, int paddingLength)
        implements TlsEncodable {
    public PrivateMessageContent {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(auth, "auth");
        if (paddingLength < 0) {
            throw new IllegalArgumentException("negative padding length " + paddingLength);
        }
    }

    @Override
    public void writeTo(TlsWriter w) {
        content.writeBody(w);
        auth.writeTo(w);
        w.raw(new byte[paddingLength]);
    }

    /**
     * Decodes a whole decrypted plaintext: the content and auth, then everything left is padding,
     * which must be all zero (§6.3.1: otherwise the message is malformed).
     */
    public static PrivateMessageContent decode(byte[] plaintext, ContentType type) throws DecodeException {
        TlsReader r = TlsReader.of(plaintext);
        Content content;
        FramedContentAuthData auth;
        try {
            content = Content.readBody(r, type);
            auth = FramedContentAuthData.readFrom(r, type);
        } catch (DecodeException e) {
            throw new DecodeException("RFC 9420 §6.3.1: malformed PrivateMessageContent: " + e.getMessage());
        }
        int start = r.position();
        // OR all padding bytes together instead of stopping at the first non-zero one, so the time
        // taken does not reveal where the padding goes wrong.
        int acc = 0;
        for (int i = start; i < plaintext.length; i++) {
            acc |= plaintext[i];
        }
        if (acc != 0) {
            throw new DecodeException("RFC 9420 §6.3.1: padding of PrivateMessageContent must be all zero bytes");
        }
        return new PrivateMessageContent(content, auth, plaintext.length - start);
    }
}
