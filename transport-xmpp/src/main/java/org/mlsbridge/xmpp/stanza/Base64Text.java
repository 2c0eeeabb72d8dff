package org.mlsbridge.xmpp.stanza;

import java.util.Base64;
import org.mlsbridge.mls.codec.Bytes;

/** Strict base64 (RFC 4648 §4: standard alphabet, padding, no line breaks or spaces). */
public final class Base64Text {
    private Base64Text() {
    }

    public static String encode(Bytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Length of the base64 text of {@code n} bytes. */
    public static long encodedLength(long n) {
        return 4 * ((n + 2) / 3);
    }

    /**
     * Decodes {@code text}, refusing anything but canonical base64 of 1..maxBytes bytes.
     *
     * @throws MalformedPayloadException empty, too large, not base64, or not canonical
     */
    public static Bytes decode(String text, int maxBytes) throws MalformedPayloadException {
        if (text.isEmpty()) {
            throw new MalformedPayloadException("empty payload");
        }
        if (text.length() > encodedLength(maxBytes)) {
            throw new MalformedPayloadException("payload over " + maxBytes + " bytes");
        }
        if (text.length() % 4 != 0) {
            throw new MalformedPayloadException("base64 length is not a multiple of 4");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || (c == '=' && i >= text.length() - 2);
            if (!ok) {
                throw new MalformedPayloadException("not base64 at offset " + i);
            }
        }
        byte[] out;
        try {
            out = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException("not base64: " + e.getMessage());
        }
        if (out.length == 0) {
            throw new MalformedPayloadException("empty payload");
        }
        if (out.length > maxBytes) {
            throw new MalformedPayloadException("payload over " + maxBytes + " bytes");
        }
        Bytes bytes = Bytes.wrap(out);
        // Non-zero padding bits decode leniently; only the canonical text is accepted.
        if (!encode(bytes).equals(text)) {
            throw new MalformedPayloadException("non-canonical base64");
        }
        return bytes;
    }
}
