package org.mlsbridge.bridge.store;

/**
 * Whether a store's outbox may hold entries, so that a client can skip looking when it cannot:
 * reading an empty outbox is a transaction, and a reader would make two per message it reads.
 * Only ever errs towards "may hold": any write to the outbox says so (also one rolled back
 * later), and only a read that found it empty says otherwise. Changed inside transactions,
 * which the store runs one at a time, so it follows their order.
 */
final class OutboxWatch {
    private volatile boolean mayHoldEntries = true;

    void written() {
        mayHoldEntries = true;
    }

    void foundEmpty() {
        mayHoldEntries = false;
    }

    boolean mayHoldEntries() {
        return mayHoldEntries;
    }
}
