package org.mlsbridge.mls.group;

import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * Where PSK values come from that the group itself does not hold (RFC 9420 §8.4): external PSKs
 * agreed out of band, and resumption PSKs of other groups or of epochs this member no longer
 * keeps (e.g. from storage). Resumption PSKs of this group's recent epochs are found in the
 * group state first. Returned secrets are copied by the caller and never destroyed by it.
 */
public interface PskLookup {
    /** The external PSK with this psk_id. */
    Optional<Secret> externalPsk(Bytes pskId);

    /** The resumption_psk of {@code groupId} at {@code epoch}. */
    default Optional<Secret> resumptionPsk(Bytes groupId, long epoch) {
        return Optional.empty();
    }

    /** Knows no PSK at all. */
    static PskLookup none() {
        return id -> Optional.empty();
    }

    /** External PSKs from a fixed map (copied). */
    static PskLookup ofExternal(Map<Bytes, Secret> psks) {
        Map<Bytes, Secret> copy = Map.copyOf(psks);
        return id -> Optional.ofNullable(copy.get(id));
    }

    /** External and resumption PSKs kept in {@code storage}. */
    static PskLookup fromStorage(MlsStorage storage) {
        return new PskLookup() {
            @Override
            public Optional<Secret> externalPsk(Bytes pskId) {
                return storage.loadExternalPsk(pskId);
            }

            @Override
            public Optional<Secret> resumptionPsk(Bytes groupId, long epoch) {
                return storage.loadResumptionPsk(groupId, epoch);
            }
        };
    }
}
