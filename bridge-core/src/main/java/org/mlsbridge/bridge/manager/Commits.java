package org.mlsbridge.bridge.manager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.CommitRules;
import org.mlsbridge.bridge.trust.DefaultAuthenticationService;
import org.mlsbridge.bridge.trust.KeyPins;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.CachedProposal;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.validation.ResolvedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Epoch changes of a member: others' commits (checked against the trust rules, then merged),
 * our own commits (built from the cached proposals the rules allow, sent, and adopted only when
 * they come back first in room order), and the commit timers.
 */
final class Commits {
    private static final Logger LOG = LoggerFactory.getLogger(Commits.class);

    private final ClientContext c;

    Commits(ClientContext c) {
        this.c = c;
    }

    /**
     * A commit of our epoch that passed MLS's checks: it must pass the trust rules too; then it
     * is merged and ends our own commit for the epoch, if any.
     *
     * @param wirePath the committer's new leaf as sent (PublicMessage commits), if readable
     * @throws RefusedEvent the commit breaks a trust rule (the transaction is rolled back)
     */
    void onCommit(ClientStore.Tx tx, RoomId room, MlsGroup g, StagedCommit s, UserId eventSender,
            Optional<LeafNode> wirePath) {
        GroupState before = g.state();
        Optional<LeafNode> pathLeaf = wirePath.isPresent() ? wirePath : changedLeaf(before, s);
        try {
            c.rules(room, g).check(new CommitRules.Commit(s.committer(), pathLeaf, s.proposals(), before.tree(),
                    before.context(), eventSender));
            pinNewKeys(tx, room, s, pathLeaf);
        } catch (Refusal e) {
            throw new RefusedEvent(DropReason.of(e.rule()), true, "epoch " + g.epoch() + " from " + eventSender + ": "
                    + e.getMessage());
        }
        RoomRecords r = new RoomRecords(tx, room);
        Optional<Blobs.PendingCommit> mine = r.pending();
        if (mine.isPresent()) {
            // Someone else's commit won this epoch: ours is void; retry on the new epoch if asked for.
            g.clearPendingCommit();
            r.clearPending();
            c.counters.discardedCommit();
            if (mine.get().explicit()) {
                r.setWantsCommit(true);
                c.commitDue.put(room, System.nanoTime());
            }
            LOG.info("own commit lost: room={} epoch={}", room, g.epoch());
        }
        long from = g.epoch();
        g.merge(s);
        r.setEpochEnded(from, c.clock.instant());
        c.commitDue.remove(room);
        if (!g.isActive()) {
            LOG.info("group over for us (removed, or reinitialized): room={} epoch={}", room, from);
            c.dropGroup(tx, room);
            r.setInRoom(false);
            return;
        }
        c.counters.epochChange();
        LOG.info("epoch change: room={} epoch={}->{} members={} added={} removed={}", room, from, g.epoch(),
                g.state().tree().memberCount(), s.addedMembers().size(), s.removedMembers().size());
        if (!g.state().proposals().isEmpty()) {
            c.scheduleCommit(room);
        }
    }

    /** The committer's leaf if the commit replaced it (a PrivateMessage commit's path, seen in the next tree). */
    private static Optional<LeafNode> changedLeaf(GroupState before, StagedCommit s) {
        if (!(s.committer() instanceof Sender.Member m) || s.next().isEmpty()) {
            return Optional.empty();
        }
        Optional<LeafNode> after = s.next().get().tree().leaf(m.leaf());
        return after.equals(before.tree().leaf(m.leaf())) ? Optional.empty() : after;
    }

    /** Trust on first use for every leaf the commit brings in or re-keys; changes are reported. */
    private void pinNewKeys(ClientStore.Tx tx, RoomId room, StagedCommit s, Optional<LeafNode> pathLeaf)
            throws Refusal {
        List<LeafNode> leaves = new ArrayList<>();
        pathLeaf.ifPresent(leaves::add);
        s.next().ifPresent(next -> {
            for (LeafIndex i : s.addedMembers()) {
                next.tree().leaf(i).ifPresent(leaves::add);
            }
        });
        for (ResolvedProposal p : s.proposals()) {
            if (p.proposal() instanceof Proposal.Update u) {
                leaves.add(u.leafNode());
            }
        }
        StoredTrust trust = new StoredTrust(tx);
        for (LeafNode leaf : leaves) {
            Optional<UserId> who = DefaultAuthenticationService.account(leaf.credential());
            if (who.isPresent()) {
                KeyPins.observe(trust, room, who.get(), leaf.signatureKey(), c.policy(room), c.clock.instant())
                        .ifPresent(trust::report);
            }
        }
    }

    /** Our own message came back in room order: if it is our pending commit, it won the epoch. */
    void onOwnEcho(ClientStore.Tx tx, RoomId room, String digest) {
        RoomRecords r = new RoomRecords(tx, room);
        Optional<Blobs.PendingCommit> p = r.pending();
        if (p.isEmpty() || !p.get().digest().equals(digest)) {
            return; // our application message, proposal or GroupInfo
        }
        Blobs.PendingCommit pc = p.get();
        Optional<MlsGroup> current = c.group(tx, room);
        boolean joining = current.isEmpty();
        if (!joining && current.get().epoch() != pc.epoch()) {
            r.clearPending();
            return; // lost earlier; already handled
        }
        MlsGroup next;
        try {
            next = MlsGroup.resume(GroupStateCodec.decode(pc.nextState().toByteArray(), c.options.groupConfig()),
                    c.options.groupConfig(), c.psks());
        } catch (DecodeException e) {
            throw new IllegalStateException("stored pending commit is unreadable", e);
        }
        r.clearPending();
        r.setWantsCommit(false);
        new PreJoinBuffer(tx, room).clear();
        current.ifPresent(old -> r.setEpochEnded(old.epoch(), c.clock.instant()));
        c.adopt(tx, room, next);
        pinAdopted(tx, room, next, joining ? Optional.empty() : Optional.of(pc.added()));
        if (!pc.welcome().isEmpty()) {
            Optional<UserId> bridge = c.policy(room).sequencer();
            boolean viaBridge = false;
            for (UserId u : new java.util.LinkedHashSet<>(pc.added())) { // once per account: it reaches every device
                if (bridge.isPresent() && u.network() != c.self.network()) {
                    viaBridge = true; // the Welcome cannot reach another network: the bridge forwards it
                } else {
                    tx.enqueue(Outgoing.welcome(room, u, pc.welcome()));
                }
            }
            if (viaBridge) {
                tx.enqueue(Outgoing.welcome(room, bridge.get(), pc.welcome()));
            }
        }
        c.enqueueRoom(tx, room, pc.groupInfo());
        c.commitDue.remove(room);
        c.counters.epochChange();
        if (joining) {
            c.counters.rejoin();
            r.setJoinedEpoch(next.epoch());
        }
        LOG.info("own commit won: room={} epoch={}->{} members={} welcomed={}", room, pc.epoch(), next.epoch(),
                next.state().tree().memberCount(), pc.added().size());
    }

    /** Trust on first use for the members our own commit added (all members, when it was our re-join). */
    private void pinAdopted(ClientStore.Tx tx, RoomId room, MlsGroup g, Optional<List<UserId>> added) {
        StoredTrust trust = new StoredTrust(tx);
        g.state().tree().forEachLeaf((i, leaf) -> {
            Optional<UserId> who = DefaultAuthenticationService.account(leaf.credential());
            if (who.isEmpty() || added.isPresent() && !added.get().contains(who.get())) {
                return;
            }
            try {
                KeyPins.observe(trust, room, who.get(), leaf.signatureKey(), c.policy(room), c.clock.instant())
                        .ifPresent(trust::report);
            } catch (Refusal e) {
                // our own commit already won the epoch: the key is in the group whatever we think of it
                LOG.warn("key change in our own commit: room={} reason={}", room, e.getMessage());
            }
        });
    }

    /** Commits the cached proposals the rules allow (and a requested key refresh), if due. */
    void commitIfNeeded(ClientStore.Tx tx, RoomId room) {
        Optional<MlsGroup> maybe = c.group(tx, room);
        RoomRecords r = new RoomRecords(tx, room);
        if (maybe.isEmpty() || r.pending().isPresent()) {
            return;
        }
        MlsGroup g = maybe.get();
        boolean explicit = r.wantsCommit();
        List<Bytes> refs = committable(room, g);
        if (refs.isEmpty() && !explicit) {
            return;
        }
        commit(tx, room, g, select(g, refs), explicit);
    }

    /** Cached proposals that pass the rules now (a PSK may have become unresolvable): the rest are left out. */
    private List<Bytes> committable(RoomId room, MlsGroup g) {
        CommitRules rules = c.rules(room, g);
        List<Bytes> refs = new ArrayList<>();
        for (CachedProposal p : g.state().proposals().values()) {
            try {
                rules.checkProposal(p.proposal(), p.sender(), g.state().tree(), g.state().context());
                refs.add(p.ref());
            } catch (Refusal e) {
                LOG.info("left out of our commit: room={} epoch={} reason={}", room, g.epoch(), e.getMessage());
            }
        }
        return refs;
    }

    /**
     * Commits by value (and every cached proposal the rules allow), as a member-mode bot does; like
     * every own commit it takes effect only if it comes back first in room order.
     */
    void commitByValue(ClientStore.Tx tx, RoomId room, List<Proposal> proposals) {
        Optional<MlsGroup> maybe = c.group(tx, room);
        if (maybe.isEmpty() || new RoomRecords(tx, room).pending().isPresent() || proposals.isEmpty()) {
            return;
        }
        MlsGroup g = maybe.get();
        commit(tx, room, g, select(g, committable(room, g)).withValues(proposals), false);
    }

    /**
     * Every cached proposal (the library leaves out those that cannot go together) when the rules
     * allow them all, which is the usual case since refused proposals are never cached; otherwise
     * only the allowed ones, by reference.
     */
    private static CommitOptions select(MlsGroup g, List<Bytes> allowed) {
        return allowed.size() == g.state().proposals().size() ? CommitOptions.allCachedProposals()
                : CommitOptions.empty().withReferences(allowed);
    }

    private void commit(ClientStore.Tx tx, RoomId room, MlsGroup g, CommitOptions options, boolean explicit) {
        CommitOutput out;
        try {
            out = g.commit(options);
        } catch (MlsException e) {
            c.commitFailed.put(room, g.epoch());
            LOG.warn("cannot commit: room={} epoch={} reason={}", room, g.epoch(), e.getMessage());
            return;
        }
        Bytes bytes = out.commit().encode();
        List<UserId> added = new ArrayList<>();
        var next = out.pending().next().orElseThrow();
        for (LeafIndex i : out.pending().addedMembers()) {
            next.tree().leaf(i).flatMap(l -> Wire.user(l.credential())).ifPresent(added::add);
        }
        byte[] nextState = GroupStateCodec.encode(next);
        try {
            Blobs.PendingCommit pc = new Blobs.PendingCommit(g.epoch(), Wire.digest(bytes), Bytes.wrap(nextState),
                    out.welcomeMessage().map(MlsMessage::encode).orElse(Bytes.EMPTY),
                    out.groupInfo().toMessage().encode(), added, explicit);
            new RoomRecords(tx, room).setPending(pc);
        } finally {
            Arrays.fill(nextState, (byte) 0); // the next epoch's secrets, sealed into the store by now
        }
        c.enqueueRoom(tx, room, bytes);
        LOG.info("commit sent: room={} epoch={} proposals={} adds={} removes={}", room, g.epoch(),
                out.pending().proposals().size(), added.size(), out.pending().removedMembers().size());
    }
}
