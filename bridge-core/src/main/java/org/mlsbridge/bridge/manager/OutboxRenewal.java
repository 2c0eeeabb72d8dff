package org.mlsbridge.bridge.manager;

import java.util.Optional;
import java.util.function.BooleanSupplier;
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
 * <p>Entries queued before a restart wait until the client has caught up with the room once:
 * before that its own epoch says nothing about the group's. They also wait while the transport
 * has restarted our stream (commits may have been missed, a re-join may follow). An entry whose
 * echo the client has handled meanwhile reached the room before the crash: it is posted as it is
 * (the transport finds its id and posts nothing), not encrypted again. The new ciphertext uses the
 * next generation of the current epoch's ratchet and is stored (group state and outbox together)
 * before it is posted, so a crash in between posts it, or renews it again, and never reuses a key.
 */
final class OutboxRenewal implements OutboxSender.Renewal {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRenewal.class);

    private final ClientContext c;
    private final BooleanSupplier caughtUp;

    /** @param caughtUp whether the client has handled what the room held since it started */
    OutboxRenewal(ClientContext c, BooleanSupplier caughtUp) {
        this.c = c;
        this.caughtUp = caughtUp;
    }

    @Override
    public Verdict verdict(ClientStore.Tx tx, Outgoing o) {
        if (!caughtUp.getAsBoolean() || c.gap) {
            return Verdict.HOLD;
        }
        if (tx.marked(ClientContext.ECHOED, Wire.digest(o.payload()))) {
            // it reached the room before a crash: posting it again under its id posts nothing, and
            // a new encryption would only spend a generation that never crosses the wire
            return Verdict.SEND;
        }
        return current(c.group(tx, o.room()), o.payload()) ? Verdict.SEND : Verdict.RENEW;
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
