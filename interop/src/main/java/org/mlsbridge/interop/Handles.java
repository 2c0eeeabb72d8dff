package org.mlsbridge.interop;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The numbered things the runner refers to: group states, KeyPackage transactions, ReInits in
 * progress and external signers. One counter for all of them, so that StorePSK's
 * {@code state_or_transaction_id} names exactly one thing. Ids start at 1; 0 names nothing (the
 * runner sends 0 when it has no id for an actor).
 */
final class Handles {
    private final Map<Integer, Object> entries = new HashMap<>();
    private int next = 1;

    int add(Object entry) {
        if (next == 0) {
            throw new IllegalStateException("all 2^32 - 1 handle ids are used up");
        }
        int id = next++;
        entries.put(id, entry);
        return id;
    }

    <T> T get(int id, Class<T> type, String what) throws RpcFailure {
        Object entry = entries.get(id);
        if (!type.isInstance(entry)) {
            throw RpcFailure.notFound("no " + what + " with id " + Integer.toUnsignedString(id));
        }
        return type.cast(entry);
    }

    Optional<Object> find(int id) {
        return Optional.ofNullable(entries.get(id));
    }

    void remove(int id) throws RpcFailure {
        if (entries.remove(id) == null) {
            throw RpcFailure.notFound("no state with id " + Integer.toUnsignedString(id));
        }
    }
}
