package org.mlsbridge.app.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The text of load message {@code k}: {@code "load <k>"} padded with dots to a fixed length, so a
 * reader knows which message it read (and its sender, from the schedule) from the content alone,
 * also after the plain relay re-posted it under its own account.
 */
final class Payloads {
    static final int HEADER_BYTES = 15;
    private static final String PREFIX = "load ";

    private Payloads() {
    }

    static Bytes of(int k, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) '.');
        byte[] head = String.format("%s%010d", PREFIX, k).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        return Bytes.wrap(b);
    }

    /** The message number, or empty for anything that is not a load message of the given length. */
    static OptionalInt parse(Bytes payload, int length) {
        if (payload.length() != length) {
            return OptionalInt.empty();
        }
        byte[] b = payload.toByteArray();
        String head = new String(b, 0, HEADER_BYTES, StandardCharsets.US_ASCII);
        if (!head.startsWith(PREFIX)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(head.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
