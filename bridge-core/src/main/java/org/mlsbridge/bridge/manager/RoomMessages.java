package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.bridge.trust.Sequencing;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.OwnMessage;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.group.ProposalReceived;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MessageHeader;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PublicMessage;

/**
 * The path of one room message through a member: our own echo; a GroupInfo; a message of the
 * room's pinned group in our epoch, processed by MLS and then by the trust rules; a late
 * application message within the room's past-epoch window; anything else is dropped and counted.
 * Clear-text header fields only ever route or drop a message, never change state.
 */
final class RoomMessages {
    private final ClientContext c;
    private final Commits commits;
    private final GroupInfos groupInfos;

    RoomMessages(ClientContext c, Commits commits, GroupInfos groupInfos) {
        this.c = c;
        this.commits = commits;
        this.groupInfos = groupInfos;
    }

    /** @param replay taken from the pre-join buffer after a Welcome (already marked seen) */
    void onRoomMessage(ClientStore.Tx tx, RoomEvent.RoomMessage m, boolean replay) {
        RoomId room = m.room();
        Optional<String> id = Optional.of(m.serverId().value());
        String digest = Wire.digest(m.payload());
        RoomPolicy policy = c.policy(room);
        boolean sequenced = policy.sequencer().isPresent();
        if (tx.marked(ClientContext.OWN, digest) || isPendingCommit(tx, room, digest)) {
            if (Sequencing.isSequencer(policy, m.sender())) {
                commits.onOwnEcho(tx, room, digest); // the bridge's post of our submission: its place counts
                return;
            }
            if (m.sender().equals(c.self)) {
                tx.mark(ClientContext.ECHOED, digest); // in the room: a queued copy needs no new encryption
                if (!sequenced) {
                    commits.onOwnEcho(tx, room, digest);
                }
                return; // in a bridged room our own post is only a submission to the bridge
            }
        }
        MlsMessage msg;
        try {
            msg = MlsMessage.decode(m.payload());
        } catch (DecodeException e) {
            c.drops.drop(tx, room, id, DropReason.UNDECODABLE, e.getMessage());
            return;
        }
        if (Sequencing.isHandshake(msg) && !Sequencing.counts(policy, m.sender())) {
            c.counters.submissionSeen(); // a member's submission: the bridge posts it if it takes it
            return;
        }
        if (msg.body() instanceof GroupInfo gi) {
            groupInfos.onGroupInfo(tx, room, gi, m.payload(), id);
            return;
        }
        Optional<MessageHeader> header = MessageHeader.of(msg);
        if (header.isEmpty()) {
            c.drops.drop(tx, room, id, DropReason.UNEXPECTED, msg.wireFormat().toString());
            return;
        }
        MessageHeader h = header.get();
        RoomRecords r = new RoomRecords(tx, room);
        Optional<Bytes> pinned = r.pinnedGroup();
        if (pinned.isPresent() && !pinned.get().equals(h.groupId())) {
            c.drops.drop(tx, room, id, DropReason.WRONG_GROUP, "another group than the room's");
            return;
        }
        Optional<MlsGroup> maybe = c.group(tx, room);
        if (maybe.isEmpty()) {
            noGroupYet(tx, m, h, replay);
            return;
        }
        MlsGroup g = maybe.get();
        if (Long.compareUnsigned(h.epoch(), g.epoch()) > 0) {
            // A clear header claims the group moved on; nothing authenticated says so. If we really
            // missed a commit (a gap in our history), a GroupInfo signed by a pinned key will show it.
            c.drops.drop(tx, room, id, DropReason.FUTURE_EPOCH, "epoch " + Long.toUnsignedString(h.epoch())
                    + " while ours is " + g.epoch());
            return;
        }
        if (Long.compareUnsigned(h.epoch(), g.epoch()) < 0 && !lateMessageWanted(tx, room, id, h, g, replay)) {
            return;
        }
        ProcessedMessage result;
        try {
            result = g.process(msg);
        } catch (MlsException e) {
            String why = "epoch " + g.epoch() + " sender " + m.sender() + ": " + e.getMessage();
            switch (h.contentType()) {
                case COMMIT -> c.drops.dropCommit(tx, room, id, DropReason.INVALID_COMMIT, why);
                case APPLICATION -> c.drops.drop(tx, room, id, DropReason.UNDECRYPTABLE, why);
                default -> c.drops.drop(tx, room, id, DropReason.INVALID_PROPOSAL, why);
            }
            return;
        }
        switch (result) {
            case ApplicationMessage a -> deliver(tx, m, g, a);
            case ProposalReceived p -> {
                try {
                    c.rules(room, g).checkProposal(p.proposal(), p.sender(), g.state().tree(), g.state().context());
                } catch (Refusal e) {
                    // the group cached it already: undo the whole event
                    throw new RefusedEvent(DropReason.of(e.rule()), false, e.getMessage());
                }
                c.scheduleCommit(room);
            }
            case StagedCommit s -> commits.onCommit(tx, room, g, s,
                    Sequencing.commitSender(policy, m.sender(), pathLeaf(msg)), pathLeaf(msg));
            case OwnMessage o -> {
                // our own message echoed before our marks were written: nothing to do
            }
        }
    }

    /** Our commit in flight is recognised by its digest even when its own-message mark was pruned. */
    private static boolean isPendingCommit(ClientStore.Tx tx, RoomId room, String digest) {
        return new RoomRecords(tx, room).pending().map(p -> p.digest().equals(digest)).orElse(false);
    }

    /** No group for the room: our external commit may have lost its epoch; keep the message for after the Welcome. */
    private void noGroupYet(ClientStore.Tx tx, RoomEvent.RoomMessage m, MessageHeader h, boolean replay) {
        RoomId room = m.room();
        RoomRecords r = new RoomRecords(tx, room);
        if (h.contentType() == ContentType.COMMIT) {
            // Whoever's it is, no external commit of this epoch (or an older one) can win any more,
            // ours in flight included: re-join only from a GroupInfo of a later epoch.
            r.noteCommitReadWithoutGroup(h.epoch());
            Optional<Blobs.PendingCommit> rejoining = r.pending();
            if (rejoining.isPresent() && Long.compareUnsigned(h.epoch(), rejoining.get().epoch()) >= 0) {
                r.clearPending();
            }
        }
        if (r.inRoom() && !replay) {
            int evicted = new PreJoinBuffer(tx, room).add(m, c.policy(room));
            for (int i = 0; i < evicted; i++) {
                c.drops.drop(tx, room, Optional.empty(), DropReason.BUFFER_FULL, "pre-join buffer limit");
            }
        }
    }

    /** A message of an earlier epoch: only application data, within the window, from after our join. */
    private boolean lateMessageWanted(ClientStore.Tx tx, RoomId room, Optional<String> id, MessageHeader h, MlsGroup g,
            boolean replay) {
        if (replay) {
            return false; // from before we joined
        }
        if (h.contentType() == ContentType.COMMIT) {
            c.counters.discardedCommit(); // lost its epoch to an earlier commit
            return false;
        }
        if (h.contentType() == ContentType.PROPOSAL) {
            c.drops.drop(tx, room, id, DropReason.STALE_PROPOSAL, "epoch " + h.epoch());
            return false;
        }
        RoomRecords r = new RoomRecords(tx, room);
        if (r.joinedEpoch().filter(j -> Long.compareUnsigned(h.epoch(), j) < 0).isPresent()) {
            c.drops.drop(tx, room, id, DropReason.BEFORE_JOIN, "epoch " + h.epoch());
            return false;
        }
        RoomPolicy policy = c.policy(room);
        Optional<Instant> ended = r.epochEnded(h.epoch());
        boolean tooOld = g.epoch() - h.epoch() > policy.pastEpochs() || ended.isEmpty()
                || Duration.between(ended.get(), c.clock.instant()).compareTo(policy.pastEpochTime()) > 0;
        if (tooOld) {
            c.drops.drop(tx, room, id, DropReason.PAST_EPOCH_EXPIRED, "epoch " + h.epoch() + " of " + g.epoch());
            return false;
        }
        return true;
    }

    private void deliver(ClientStore.Tx tx, RoomEvent.RoomMessage m, MlsGroup g, ApplicationMessage a) {
        RoomId room = m.room();
        Optional<String> id = Optional.of(m.serverId().value());
        Optional<UserId> author = Wire.user(a.credential());
        if (author.isEmpty()) {
            c.drops.drop(tx, room, id, DropReason.INVALID_IDENTITY, "sender leaf " + a.sender());
            return; // the key is used up either way: the group saved that
        }
        UserId sender = author.get();
        boolean e2ee = true;
        if (LegacyMarker.isMarked(a.authenticatedData())) {
            Optional<UserId> legacy = LegacyMarker.honoured(a, g.state());
            if (legacy.isEmpty()) {
                c.drops.drop(tx, room, id, DropReason.FORGED_LEGACY_MARKER, "sender " + sender);
                return;
            }
            sender = legacy.get();
            e2ee = false;
        }
        ReceivedMessage received = new ReceivedMessage(m.serverId().value(), room, sender, a.data(), e2ee);
        tx.deliver(received);
        c.counters.messageIn();
        c.hooks.delivered(tx, received);
    }

    /** The committer's new leaf as sent in a PublicMessage commit. */
    private static Optional<LeafNode> pathLeaf(MlsMessage msg) {
        if (msg.body() instanceof PublicMessage p && p.content().content() instanceof Content.CommitContent cc) {
            return cc.commit().path().map(path -> path.leafNode());
        }
        return Optional.empty();
    }
}
