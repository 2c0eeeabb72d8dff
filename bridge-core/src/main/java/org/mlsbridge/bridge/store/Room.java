package org.mlsbridge.bridge.store;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A room the bridge or client follows, and the MLS group that secures it once there is one.
 *
 * @param roomId transport-qualified room id, e.g. {@code xmpp:room@muc.example.org}
 * @param groupId the MLS group id, empty before the group exists
 * @param mode how the bridge takes part, as the group manager names it (e.g. external-sender, member, client)
 */
public record Room(String roomId, Optional<Bytes> groupId, String mode) {
    public Room {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(mode, "mode");
    }
}
