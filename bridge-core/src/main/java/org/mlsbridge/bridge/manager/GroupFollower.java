package org.mlsbridge.bridge.manager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.CommitRules;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.bridge.trust.Sequencing;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.ExternalProposer;
import org.mlsbridge.mls.group.PublicCommit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the external-sender bot follows each room's group without its secrets: GroupInfos (the
 * first pins the room's group; later ones must carry a context a verified commit leads to),
 * the epoch's public proposals, and commits staged on a {@link PublicView} and checked against
 * the trust rules. Its records: {@code gi:} (the view's anchor), {@code gpin:}, {@code expected:},
 * {@code props:} and {@code sealed:} per room, and the messages ahead of the view (a
 * {@link PreJoinBuffer#ahead}).
 */
final class GroupFollower {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalSenderBot.class);
    private static final int MAX_PROPOSALS = 1_000;

    private final ClientStore store;
    private final ClientOptions options;
    private final Counters counters;
    private final DropLog drops;
    private final BotIdentities identities;
    /** Called when a room's view changed: the bot looks at its membership again. */
    private final BiConsumer<ClientStore.Tx, RoomId> track;
    private final Map<RoomId, PublicView> views = new HashMap<>();
    /** A GroupInfo moved a view while handling the current event: messages kept ahead get their turn. */
    private boolean viewMoved;

    GroupFollower(ClientStore store, ClientOptions options, Counters counters, DropLog drops,
            BotIdentities identities, BiConsumer<ClientStore.Tx, RoomId> track) {
        this.store = store;
        this.options = options;
        this.counters = counters;
        this.drops = drops;
        this.identities = identities;
        this.track = track;
    }

    void onRoomMessage(ClientStore.Tx tx, RoomEvent.RoomMessage m) {
        Optional<String> id = Optional.of(m.serverId().value());
        if (!tx.mark("seen", m.room() + "/" + m.serverId())) {
            drops.drop(tx, m.room(), id, DropReason.REPLAY, "seen before");
            return;
        }
        MlsMessage msg;
        try {
            msg = MlsMessage.decode(m.payload());
        } catch (DecodeException e) {
            drops.drop(tx, m.room(), id, DropReason.UNDECODABLE, e.getMessage());
            return;
        }
        if (Sequencing.isHandshake(msg) && !Sequencing.counts(options.policies().forRoom(m.room()), m.sender())) {
            return; // a submission to the room's bridge (ours included): only the bridge's post of it counts
        }
        viewMoved = false;
        handle(tx, m, msg, id);
        while (viewMoved) {
            viewMoved = false;
            replayAhead(tx, m.room());
        }
    }

    private void handle(ClientStore.Tx tx, RoomEvent.RoomMessage m, MlsMessage msg, Optional<String> id) {
        if (ahead(tx, m.room(), msg)) {
            int evicted = PreJoinBuffer.ahead(tx, m.room()).add(m, options.policies().forRoom(m.room()));
            for (int i = 0; i < evicted; i++) {
                drops.drop(tx, m.room(), Optional.empty(), DropReason.BUFFER_FULL, "messages ahead of the view");
            }
            return;
        }
        switch (msg.body()) {
            case GroupInfo gi -> onGroupInfo(tx, m.room(), gi, m.payload(), id);
            case PublicMessage p -> {
                switch (p.content().content()) {
                    case Content.CommitContent c -> onCommit(tx, m, msg, p, id);
                    case Content.ProposalContent c -> keepProposal(tx, m.room(), p, m.payload());
                    case Content.Application a -> drops.drop(tx, m.room(), id, DropReason.UNEXPECTED,
                            "application data in a PublicMessage");
                }
            }
            case PrivateMessage p -> {
                // Application data (or a private handshake): opaque to the bot by design.
            }
            default -> drops.drop(tx, m.room(), id, DropReason.UNEXPECTED, msg.wireFormat().toString());
        }
    }

    /**
     * Whether the message belongs to an epoch after the one the view can follow next: a commit or
     * proposal of a later epoch than the view's, or a GroupInfo past the next one. It arrives
     * before the view's next GroupInfo when that GroupInfo's poster was slow while others went on
     * committing; dropping it would leave the view behind for good (every later GroupInfo would
     * follow no commit the bot verified). It is kept and taken again once the view moved.
     */
    private boolean ahead(ClientStore.Tx tx, RoomId room, MlsMessage msg) {
        Optional<PublicView> v = view(tx, room);
        if (v.isEmpty()) {
            return false;
        }
        long current = v.get().epoch();
        return switch (msg.body()) {
            case GroupInfo gi -> gi.groupContext().groupId().equals(v.get().groupId())
                    && Long.compareUnsigned(gi.groupContext().epoch(), current) > 0
                    && gi.groupContext().epoch() != current + 1; // the next one: taken or refused now
            case PublicMessage p -> p.content().groupId().equals(v.get().groupId())
                    && Long.compareUnsigned(p.content().epoch(), current) > 0;
            default -> false;
        };
    }

    /**
     * The view moved: what was kept ahead of it is handled again, in room order (still ahead: kept),
     * each in a savepoint of the event's transaction, so one that fails is dropped alone.
     */
    private void replayAhead(ClientStore.Tx tx, RoomId room) {
        for (RoomEvent.RoomMessage m : PreJoinBuffer.ahead(tx, room).drain()) {
            Optional<String> id = Optional.of(m.serverId().value());
            try {
                MlsMessage msg = MlsMessage.decode(m.payload());
                store.transaction(inner -> {
                    handle(inner, m, msg, id);
                    return null;
                });
            } catch (DecodeException e) {
                drops.drop(tx, room, id, DropReason.UNDECODABLE, e.getMessage());
            } catch (RuntimeException e) {
                if (e instanceof org.mlsbridge.mls.storage.StorageException) {
                    throw e;
                }
                views.remove(room);
                drops.drop(tx, room, id, DropReason.INTERNAL_ERROR, e.getClass().getSimpleName());
            }
        }
    }

    /**
     * A GroupInfo becomes the view only if it is the first one of the room (which pins the room
     * to its group, and must list the bot as external sender) or carries exactly the GroupContext
     * that a commit of the current epoch, verified by the bot, leads to.
     */
    private void onGroupInfo(ClientStore.Tx tx, RoomId room, GroupInfo gi, Bytes raw, Optional<String> id) {
        Optional<PublicView> current = view(tx, room);
        Optional<Bytes> pinned = tx.blob("gpin:" + room.value());
        if (current.isPresent() && Long.compareUnsigned(gi.groupContext().epoch(), current.get().epoch()) <= 0
                && gi.groupContext().groupId().equals(current.get().groupId())) {
            return; // an old one: harmless
        }
        if (pinned.isPresent() && !pinned.get().equals(gi.groupContext().groupId())) {
            drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "another group than the room's");
            return;
        }
        if (current.isPresent() && !expected(tx, room).contains(gi.groupContext().encode())) {
            drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "epoch " + gi.groupContext().epoch()
                    + " follows no commit the bot verified");
            return;
        }
        Optional<PublicView> next = PublicView.of(gi, options);
        if (next.isEmpty()) {
            drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "signature or tree does not verify");
            return;
        }
        if (identities.listedIn(gi.groupContext()).isEmpty()) {
            drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "the bot is not an external sender");
            return;
        }
        tx.putBlob("gi:" + room.value(), raw);
        tx.putBlob("gpin:" + room.value(), gi.groupContext().groupId());
        views.remove(room);
        for (String k : List.of("sealed:", "expected:", "proposed:", "props:", "sealFailed:")) {
            tx.deleteBlob(k + room.value());
        }
        for (UserId u : next.get().users().keySet()) {
            tx.deleteBlob("kp:" + room.value() + ":" + u.value());
        }
        track.accept(tx, room);
        viewMoved = true;
        LOG.info("public view: room={} epoch={} members={}", room, gi.groupContext().epoch(),
                next.get().users().size());
    }

    /** Contexts that commits of the current epoch lead to, as the bot computed them. */
    private static List<Bytes> expected(ClientStore.Tx tx, RoomId room) {
        return BlobLists.get(tx, "expected:" + room.value()).stream().map(Bytes::fromHex).toList();
    }

    private void keepProposal(ClientStore.Tx tx, RoomId room, PublicMessage p, Bytes raw) {
        Optional<PublicView> v = view(tx, room);
        if (v.isEmpty() || p.content().epoch() != v.get().epoch()
                || !p.content().groupId().equals(v.get().groupId())) {
            return; // members drop it too
        }
        List<String> kept = BlobLists.get(tx, "props:" + room.value());
        if (kept.size() < MAX_PROPOSALS) {
            kept.add(raw.hex());
            BlobLists.put(tx, "props:" + room.value(), kept);
        }
    }

    /**
     * A commit of the view's epoch: staged on the public view (signature, RFC 9420 rules, the
     * committer's leaf and path) and checked against the trust rules. A member's valid commit
     * seals the epoch (no more proposals for it); a new member's commit never does, since the bot
     * cannot check its confirmation tag, so anyone could send one. Either way the context it
     * leads to is recorded: only a GroupInfo with that context can move the view.
     */
    private void onCommit(ClientStore.Tx tx, RoomEvent.RoomMessage m, MlsMessage msg, PublicMessage p,
            Optional<String> id) {
        RoomId room = m.room();
        Optional<PublicView> v = view(tx, room);
        if (v.isEmpty()) {
            return;
        }
        long epoch = v.get().epoch();
        if (p.content().epoch() != epoch || !p.content().groupId().equals(v.get().groupId())
                || tx.blob("sealed:" + room.value()).isPresent()) {
            counters.discardedCommit();
            return;
        }
        Sender committer = p.content().sender();
        PublicCommit staged;
        try {
            List<Bytes> props = BlobLists.get(tx, "props:" + room.value()).stream().map(Bytes::fromHex).toList();
            staged = v.get().stage(props, msg, options);
            Optional<LeafNode> path = ((Content.CommitContent) p.content().content()).commit().path()
                    .map(x -> x.leafNode());
            RoomPolicy policy = options.policies().forRoom(room);
            new CommitRules(options.authentication(), policy, psk -> true)
                    .check(new CommitRules.Commit(committer, path, staged.proposals(), v.get().group().tree(),
                            v.get().group().context(), Sequencing.commitSender(policy, m.sender(), path)));
        } catch (MlsException e) {
            drops.dropCommit(tx, room, id, DropReason.INVALID_COMMIT, "epoch " + epoch + ": " + e.getMessage());
            return;
        } catch (Refusal e) {
            drops.dropCommit(tx, room, id, DropReason.of(e.rule()), "epoch " + epoch + ": " + e.getMessage());
            return;
        }
        BlobLists.add(tx, "expected:" + room.value(), staged.context().encode().hex());
        if (committer instanceof Sender.Member mem
                && !BlobLists.get(tx, "sealFailed:" + room.value()).contains(Integer.toString(mem.leaf().value()))) {
            tx.putBlob("sealed:" + room.value(), Bytes.wrap(Integer.toString(mem.leaf().value())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            counters.epochChange();
        }
        LOG.info("commit ordered: room={} epoch={} committer={}", room, epoch, committer);
    }

    // ---- the public view -------------------------------------------------------------------------

    /** The room's view, verified once per anchor and kept in memory. */
    Optional<PublicView> view(ClientStore.Tx tx, RoomId room) {
        Optional<Bytes> raw = tx.blob("gi:" + room.value());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        PublicView cached = views.get(room);
        if (cached != null && cached.anchor().groupContext().equals(anchorContext(raw.get()))) {
            return Optional.of(cached);
        }
        Optional<PublicView> v = PublicView.decode(raw.get(), options);
        v.ifPresent(x -> views.put(room, x));
        return v;
    }

    private static org.mlsbridge.mls.message.GroupContext anchorContext(Bytes raw) {
        try {
            return MlsMessage.decode(raw).body() instanceof GroupInfo gi ? gi.groupContext() : null;
        } catch (DecodeException e) {
            return null;
        }
    }
}
