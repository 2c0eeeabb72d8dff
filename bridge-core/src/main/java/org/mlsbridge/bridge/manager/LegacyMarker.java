package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomBots;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.GroupState;

/**
 * How a member-mode bot labels a message it relays from a legacy plaintext user: the MLS
 * authenticated_data says {@code legacy-plaintext:<account URI>}. Members show such messages as
 * sent by that user but NOT end-to-end encrypted (the server and the bot saw them in the clear).
 *
 * <p>The label is honoured only when the MLS sender is the room's bot (its credential is listed
 * in the group's external_senders, which a member-mode bot does for itself when it creates the
 * group) and the named account is a valid URI that is not an MLS member: a member can neither
 * speak as someone else through it nor make a member's words look unencrypted.
 */
final class LegacyMarker {
    private static final String PREFIX = "legacy-plaintext:";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.UTF_8);

    private LegacyMarker() {
    }

    static Bytes of(UserId legacyUser) {
        return Bytes.wrap((PREFIX + legacyUser.value()).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the authenticated data carries the label at all (valid or not). */
    static boolean isMarked(Bytes aad) {
        byte[] b = aad.toByteArray();
        if (b.length < PREFIX_BYTES.length) {
            return false;
        }
        for (int i = 0; i < PREFIX_BYTES.length; i++) {
            if (b[i] != PREFIX_BYTES[i]) {
                return false;
            }
        }
        return true;
    }

    /** The named legacy user, if the label is well formed. */
    static Optional<UserId> parse(Bytes aad) {
        if (!isMarked(aad)) {
            return Optional.empty();
        }
        String s = new String(aad.toByteArray(), StandardCharsets.UTF_8).substring(PREFIX.length());
        return UserId.isValid(s) ? Optional.of(new UserId(s)) : Optional.empty();
    }

    /** The legacy user a message speaks for, if the label is well formed and its sender may use it. */
    static Optional<UserId> honoured(ApplicationMessage m, GroupState group) {
        Optional<UserId> named = parse(m.authenticatedData());
        if (named.isEmpty() || !RoomBots.isBot(group.context(), m.credential())) {
            return Optional.empty();
        }
        boolean member = group.tree().findLeaf(l -> Wire.user(l.credential()).equals(named)).isPresent();
        return member ? Optional.empty() : named;
    }
}
