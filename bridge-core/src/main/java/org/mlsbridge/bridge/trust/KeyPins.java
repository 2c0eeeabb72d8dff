package org.mlsbridge.bridge.trust;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Signature keys seen per identity, trust on first use: the first key of an identity is pinned
 * silently; a later new key is pinned too if the room's policy accepts key changes, and reported
 * as a {@link KeyChange}. Storage is the caller's (the manager keeps pins in its SQLite store,
 * in the transaction of the event that showed the key).
 */
public final class KeyPins {
    /** Where pins live. */
    public interface Store {
        List<Bytes> pinned(UserId identity);

        void pin(UserId identity, Bytes signatureKey);
    }

    private KeyPins() {
    }

    /**
     * Records that {@code identity} uses {@code signatureKey}.
     *
     * @return the key change to report, if the key is new for a known identity
     * @throws Refusal the key is new and the policy refuses key changes
     */
    public static Optional<KeyChange> observe(Store store, RoomId room, UserId identity, Bytes signatureKey,
            RoomPolicy policy, Instant now) throws Refusal {
        List<Bytes> known = List.copyOf(store.pinned(identity));
        if (known.contains(signatureKey)) {
            return Optional.empty();
        }
        if (known.isEmpty()) {
            store.pin(identity, signatureKey);
            return Optional.empty();
        }
        if (policy.keyChanges() == RoomPolicy.KeyChanges.REFUSE) {
            throw new Refusal(Refusal.Rule.KEY_CHANGE_REFUSED, "new signature key " + Fingerprint.of(signatureKey)
                    + " for " + identity);
        }
        store.pin(identity, signatureKey);
        return Optional.of(new KeyChange(room, identity, Fingerprint.of(signatureKey),
                known.stream().map(Fingerprint::of).toList(), now));
    }

    /** Whether the key is pinned for the identity. */
    public static boolean isPinned(Store store, UserId identity, Bytes signatureKey) {
        return store.pinned(identity).contains(signatureKey);
    }
}
