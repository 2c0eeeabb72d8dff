package org.mlsbridge.bridge.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a store's outbox, oldest first, each entry with its outbox id as client message id, and
 * removes an entry once the transport took it (or refused it for good). A retryable failure stops
 * the flush and leaves the rest for the next one, after a restart too: the ids make resends
 * idempotent. Before an entry that keeps its application text is posted, a {@link Renewal} may
 * hold it (and what follows), or encrypt it again under the same id.
 */
final class OutboxSender {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);

    private OutboxSender() {
    }

    /** What to do with an entry that keeps its application text, just before it is posted. */
    interface Renewal {
        /** Posts such entries as they are (for a role that queues none). */
        Renewal NONE = new Renewal() {
            @Override
            public Verdict verdict(ClientStore.Tx tx, Outgoing o) {
                return Verdict.SEND;
            }

            @Override
            public Optional<Outgoing> renew(Outgoing o) {
                return Optional.of(o);
            }
        };

        enum Verdict {
            /** Post the stored payload. */
            SEND,
            /** Call {@link #renew} first and post what it returns. */
            RENEW,
            /** Not now: this entry and those after it wait for the next flush (keeps the order). */
            HOLD
        }

        /** Decided in the transaction that read the entry. */
        Verdict verdict(ClientStore.Tx tx, Outgoing o);

        /**
         * Re-encrypts the entry and stores the new payload under the same id before returning it,
         * or removes it from the outbox (empty) when it can no longer be sent.
         */
        Optional<Outgoing> renew(Outgoing o);
    }

    private record Queued(Outgoing entry, Renewal.Verdict verdict) {
    }

    static void flush(Transport transport, ClientStore store) throws TransportException {
        flush(transport, store, Renewal.NONE);
    }

    static void flush(Transport transport, ClientStore store, Renewal renewal) throws TransportException {
        if (!store.outboxMayHoldEntries()) {
            return;
        }
        while (true) {
            List<Queued> batch = store.transaction(tx -> {
                List<Queued> out = new ArrayList<>();
                for (Outgoing o : tx.outbox(50)) {
                    out.add(new Queued(o, o.applicationText().isPresent() ? renewal.verdict(tx, o)
                            : Renewal.Verdict.SEND));
                }
                return out;
            });
            if (batch.isEmpty()) {
                return;
            }
            store.syncBeforeSending();
            for (Queued q : batch) {
                Outgoing o = q.entry();
                switch (q.verdict()) {
                    case HOLD -> {
                        return;
                    }
                    case RENEW -> {
                        Optional<Outgoing> renewed = renewal.renew(o);
                        if (renewed.isEmpty()) {
                            continue; // removed by renew: it can no longer be sent
                        }
                        o = renewed.get();
                    }
                    case SEND -> {
                    }
                }
                post(transport, o);
                String id = o.id();
                store.transaction(tx -> {
                    tx.sent(id);
                    return null;
                });
            }
        }
    }

    private static void post(Transport transport, Outgoing o) throws TransportException {
        try {
            if (o.plainText()) {
                transport.sendTextToRoom(o.room(), new ClientMessageId(o.id()), o.text());
            } else if (o.to().isPresent()) {
                transport.sendToUser(o.to().get(), o.room(), new ClientMessageId(o.id()), o.payload());
            } else {
                transport.sendToRoom(o.room(), new ClientMessageId(o.id()), o.payload());
            }
        } catch (TransportException e) {
            if (e.retryable()) {
                throw e;
            }
            LOG.warn("outgoing message refused: user={} room={} id={} reason={}", transport.self(), o.room(),
                    o.id(), e.getMessage());
        }
    }
}
