package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.store.StoreException;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.mls.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivered event in one store transaction with the cursor after it, so that no event
 * can wedge the loop: a failure caused by the event (any unchecked exception from handling peer
 * input, seen twice: once more after in-memory caches were dropped) rolls the transaction back,
 * then a second transaction records the drop and moves the cursor on. Only local transient faults (storage I/O, a busy database) are retried, with
 * exponential backoff up to {@link #ATTEMPTS} attempts, and then surface to the caller: those
 * are not the peer's doing, and dropping the event would lose it.
 */
final class EventRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EventRunner.class);
    static final int ATTEMPTS = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(20);

    /** What a role does with one event inside the transaction. */
    @FunctionalInterface
    interface Handler {
        void handle(ClientStore.Tx tx, RoomEvent event);
    }

    private final ClientStore store;
    private final DropLog drops;
    private final Runnable forgetCaches;
    private final Counters counters;

    /**
     * @param forgetCaches called after any failed transaction: in-memory state derived during it
     *     (cached groups) may be ahead of what was committed
     */
    EventRunner(ClientStore store, DropLog drops, Runnable forgetCaches) {
        this.store = store;
        this.drops = drops;
        this.forgetCaches = forgetCaches;
        this.counters = drops.counters();
    }

    /**
     * Runs several events in one transaction with the cursor after the last: one synced commit
     * instead of one per event. Any failure rolls it all back (counts made meanwhile included) and
     * runs each event on its own with {@link #run}, so an event that fails is still dropped alone
     * and the others are handled as if they had never been batched.
     */
    void runAll(List<Delivery> batch, Handler handler) throws InterruptedException {
        if (batch.size() == 1) {
            run(batch.get(0), handler);
            return;
        }
        if (batch.isEmpty()) {
            return;
        }
        counters.hold();
        boolean committed = false;
        try {
            store.transaction(tx -> {
                for (Delivery d : batch) {
                    handler.handle(tx, d.event());
                }
                tx.setCursor(batch.get(batch.size() - 1).cursor());
                return null;
            });
            committed = true;
        } catch (RuntimeException e) {
            forgetCaches.run();
            LOG.debug("batch of {} events failed, handling them one by one: error={}", batch.size(),
                    e.getClass().getName());
        } finally {
            counters.release(committed);
        }
        if (!committed) {
            for (Delivery d : batch) {
                run(d, handler);
            }
        }
    }

    void run(Delivery d, Handler handler) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        boolean suspect = false;
        for (int attempt = 1;; attempt++) {
            try {
                store.transaction(tx -> {
                    handler.handle(tx, d.event());
                    tx.setCursor(d.cursor());
                    return null;
                });
                return;
            } catch (StorageException e) {
                forgetCaches.run();
                if (!transientFault(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.warn("storage fault, retrying: attempt={} backoff={}ms reason={}", attempt, backoff.toMillis(),
                        e.getMessage());
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            } catch (RefusedEvent e) {
                forgetCaches.run();
                refused(d, e);
                return;
            } catch (RuntimeException e) {
                forgetCaches.run();
                if (!suspect) {
                    // Once more from freshly loaded state: a group cached by an earlier failed
                    // transaction is our fault, not the event's. A second failure is the event's.
                    suspect = true;
                    continue;
                }
                poisoned(d, e);
                return;
            }
        }
    }

    private void poisoned(Delivery d, RuntimeException e) {
        Optional<String> id = serverId(d.event());
        LOG.warn("event failed, dropped: room={} id={} error={}", d.event().room(), id.orElse("-"),
                e.getClass().getName());
        store.transaction(tx -> {
            drops.drop(tx, d.event().room(), id, DropReason.INTERNAL_ERROR, e.getClass().getSimpleName());
            tx.setCursor(d.cursor());
            return null;
        });
    }

    private void refused(Delivery d, RefusedEvent e) {
        Optional<String> id = serverId(d.event());
        store.transaction(tx -> {
            if (e.commit()) {
                drops.dropCommit(tx, d.event().room(), id, e.reason(), e.getMessage());
            } else {
                drops.drop(tx, d.event().room(), id, e.reason(), e.getMessage());
            }
            tx.setCursor(d.cursor());
            return null;
        });
    }

    private static boolean transientFault(StorageException e) {
        return !(e instanceof StoreException s) || s.kind() == StoreException.Kind.IO;
    }

    static Optional<String> serverId(RoomEvent event) {
        return switch (event) {
            case RoomEvent.RoomMessage m -> Optional.of(m.serverId().value());
            case RoomEvent.PlainMessage p -> Optional.of(p.serverId().value());
            case RoomEvent.WelcomeReceived w -> Optional.of(w.serverId().value());
            default -> Optional.empty();
        };
    }
}
