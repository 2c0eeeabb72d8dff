package org.mlsbridge.bridge.trust;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;

/**
 * A known identity showed a signature key not pinned for it before: a new device, a lost
 * database, or someone else holding the account. Shown to the user, who may compare
 * {@code fingerprint} out of band.
 *
 * @param earlier fingerprints pinned for the identity before this one
 */
public record KeyChange(RoomId room, UserId identity, String fingerprint, List<String> earlier, Instant at) {
    public KeyChange {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(fingerprint, "fingerprint");
        earlier = List.copyOf(earlier);
        Objects.requireNonNull(at, "at");
    }
}
