package org.mlsbridge.bridge.manager;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps our own queued application messages readable: one that waited (a failed post, a crash)
 * while the group moved to a newer epoch is encrypted again in the current epoch before it is
 * posted, under the same outbox id. Receivers keep only a few past epochs (and for a limited
 * time), so an old ciphertext posted late may be unreadable for everyone; re-encrypting on any
 * newer epoch never depends on their window, and the unchanged id (the transport's idempotency
 * key) keeps a copy that did reach the room from being posted twice.
 *
 * <p>Entries queued before a restart wait (and so, to keep the order, do those after them) until
 * the client has caught up with the room once: before that its own epoch says nothing about the
 * group's. Every such entry waits while the transport has restarted our stream (commits may have
 * been missed, a re-join may follow). An entry whose echo the client has handled reached the room
 * (the post's answer was lost, or the client died after it): it is posted as it is (the
 * transport finds its id and posts nothing), not encrypted again; and an entry is encrypted again
 * only right after a poll that read the stream to its end, so such an echo is not just ahead. The
 * new ciphertext uses the next generation of the current epoch's ratchet and is stored (group
 * state and outbox together) before it is posted, so a crash in between posts it, or renews it
 * again, and never reuses a key.
 */
final class OutboxRenewal implements OutboxSender.Renewal {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRenewal.class);

    private final ClientContext c;
    /** Ids of entries queued by an earlier run, until the client has caught up once. */
    private final Set<String> fromEarlierRun;
    /** Whether the client's last poll read the stream to its end. */
    private boolean atEnd;

    /** @param fromEarlierRun ids of our application messages already queued when the client started */
    OutboxRenewal(ClientContext c, Set<String> fromEarlierRun) {
        this.c = c;
        this.fromEarlierRun = new HashSet<>(fromEarlierRun);
    }

    /** The ids of the application messages {@code store}'s outbox holds (read when a client starts). */
    static Set<String> queuedBefore(ClientStore store) {
        return store.transaction(tx -> {
            Set<String> ids = new HashSet<>();
            for (Outgoing o : tx.outbox(Integer.MAX_VALUE)) {
                if (o.applicationText().isPresent()) {
                    ids.add(o.id());
                }
            }
            return ids;
        });
    }

    /**
     * After each poll of the client: whether it read the stream to its end (a short batch). Only
     * then may an entry be encrypted again: the echo of its old copy may be just ahead.
     */
    void polled(boolean toTheEnd) {
        atEnd = toTheEnd;
        if (toTheEnd) {
            fromEarlierRun.clear();
        }
    }

    @Override
    public Verdict verdict(ClientStore.Tx tx, Outgoing o) {
        if (fromEarlierRun.contains(o.id()) || c.gap) {
            return Verdict.HOLD;
        }
        if (current(c.group(tx, o.room()), o.payload())) {
            return Verdict.SEND;
        }
        if (tx.marked(ClientContext.ECHOED, Wire.digest(o.payload()))) {
            // it reached the room (the post's answer was lost, or we crashed after it): posting it
            // again under its id posts nothing, and a new encryption would only spend a generation
            // that never crosses the wire
            return Verdict.SEND;
        }
        return atEnd ? Verdict.RENEW : Verdict.HOLD;
    }

    @Override
    public Optional<Outgoing> renew(Outgoing o) {
        return c.transaction(tx -> {
            Optional<MlsGroup> g = c.group(tx, o.room());
            if (g.isEmpty()) {
                return unsendable(tx, o, "no longer in the room's group");
            }
            if (current(g, o.payload())) {
                return Optional.of(o);
            }
            Bytes payload;
            try {
                payload = g.get().encrypt(o.applicationText().orElseThrow(), Bytes.EMPTY).encode();
            } catch (MlsException e) {
                return unsendable(tx, o, "cannot encrypt in epoch " + g.get().epoch() + ": " + e.getMessage());
            }
            tx.mark(ClientContext.OWN, Wire.digest(payload));
            tx.replacePayload(o.id(), payload);
            c.counters.messageRenewed();
            LOG.info("queued message encrypted again: user={} room={} id={} epoch={}", c.self, o.room(), o.id(),
                    g.get().epoch());
            return Optional.of(o.withPayload(payload));
        });
    }

    /** Whether the payload is of the group's current epoch (it names the epoch in its clear header). */
    private static boolean current(Optional<MlsGroup> group, Bytes payload) {
        if (group.isEmpty()) {
            return false;
        }
        MlsGroup g = group.get();
        try {
            return MlsMessage.decode(payload).body() instanceof PrivateMessage p
                    && p.groupId().equals(g.groupId()) && p.epoch() >= g.epoch();
        } catch (DecodeException e) {
            return false; // our own stored payload: encrypting the kept text again is the safe answer
        }
    }

    private Optional<Outgoing> unsendable(ClientStore.Tx tx, Outgoing o, String why) {
        tx.sent(o.id());
        c.counters.messageUnsendable();
        LOG.warn("queued message dropped unsent: user={} room={} id={} reason={}", c.self, o.room(), o.id(), why);
        return Optional.empty();
    }
}
