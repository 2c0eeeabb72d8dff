package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * How a member-mode bot labels a message it relays from a legacy plaintext user: the MLS
 * authenticated_data says {@code legacy-plaintext:<user>}. Members show such messages as sent by
 * that user but NOT end-to-end encrypted (the server and the bot saw them in the clear). Only the
 * bot can produce them, since it signs them as itself.
 */
final class LegacyMarker {
    private static final String PREFIX = "legacy-plaintext:";

    private LegacyMarker() {
    }

    static Bytes of(UserId legacyUser) {
        return Bytes.wrap((PREFIX + legacyUser.value()).getBytes(StandardCharsets.UTF_8));
    }

    static Optional<UserId> parse(Bytes aad) {
        String s = new String(aad.toByteArray(), StandardCharsets.UTF_8);
        if (!s.startsWith(PREFIX) || s.length() == PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(new UserId(s.substring(PREFIX.length())));
    }
}
