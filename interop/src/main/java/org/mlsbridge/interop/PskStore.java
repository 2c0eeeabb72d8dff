package org.mlsbridge.interop;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.PskLookup;

/**
 * The external PSKs one member was given (StorePSK, or the PSKs of an ExternalJoin request).
 * The runner installs them on a KeyPackage transaction or on a group state; the store then
 * follows that member into every state it becomes (join, ReInit, branch), so a PSK installed
 * before the Welcome arrives is known when it does.
 */
final class PskStore implements PskLookup {
    private final Map<Bytes, Secret> external = new HashMap<>();

    void put(Bytes pskId, Bytes value) {
        Secret old = external.put(pskId, Secret.of(value.toByteArray()));
        if (old != null) {
            old.destroy();
        }
    }

    @Override
    public Optional<Secret> externalPsk(Bytes pskId) {
        return Optional.ofNullable(external.get(pskId));
    }

    @Override
    public String toString() {
        return "PskStore[" + external.size() + " external PSKs, values redacted]";
    }
}
