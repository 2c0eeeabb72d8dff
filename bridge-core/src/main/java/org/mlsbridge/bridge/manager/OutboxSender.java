package org.mlsbridge.bridge.manager;

import java.util.List;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a store's outbox, oldest first, each entry with its outbox id as client message id, and
 * removes an entry once the transport took it (or refused it for good). A retryable failure stops
 * the flush and leaves the rest for the next one, after a restart too: the ids make resends
 * idempotent.
 */
final class OutboxSender {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);

    private OutboxSender() {
    }

    static void flush(Transport transport, ClientStore store) throws TransportException {
        while (true) {
            List<Outgoing> batch = store.transaction(tx -> tx.outbox(50));
            if (batch.isEmpty()) {
                return;
            }
            for (Outgoing o : batch) {
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
                store.transaction(tx -> {
                    tx.sent(o.id());
                    return null;
                });
            }
        }
    }
}
