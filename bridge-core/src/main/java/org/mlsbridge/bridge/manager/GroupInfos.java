package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.DefaultAuthenticationService;
import org.mlsbridge.bridge.trust.KeyPins;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PublicGroupView;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.tree.LeafIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GroupInfos posted in the room, and re-joining by external commit from them. A GroupInfo is
 * kept (for a later re-join) only when it is for the room's pinned group and either follows a
 * commit we merged (its GroupContext is exactly our current one, signed by a leaf of our tree),
 * or, while we hold no state or after the transport lost part of our history, it is
 * self-consistent and signed by a key pinned for its signer. Nothing else is adopted, so a
 * forged GroupInfo can neither replace our group nor lure us into another.
 */
final class GroupInfos {
    private static final Logger LOG = LoggerFactory.getLogger(GroupInfos.class);
    private static final Duration REJOIN_TIMEOUT = Duration.ofSeconds(30);

    private final ClientContext c;
    /** When we last tried to re-join each room by external commit. */
    private final Map<RoomId, Long> rejoinSince = new HashMap<>();

    GroupInfos(ClientContext c) {
        this.c = c;
    }

    void onGroupInfo(ClientStore.Tx tx, RoomId room, GroupInfo gi, Bytes raw, Optional<String> id) {
        RoomRecords r = new RoomRecords(tx, room);
        Bytes gid = gi.groupContext().groupId();
        long epoch = gi.groupContext().epoch();
        Optional<Bytes> pinned = r.pinnedGroup();
        if (pinned.isPresent() && !pinned.get().equals(gid)) {
            c.drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "another group than the room's");
            return;
        }
        Optional<MlsGroup> g = c.group(tx, room);
        if (g.isPresent() && Long.compareUnsigned(epoch, g.get().epoch()) < 0) {
            return; // an old one: harmless
        }
        if (g.isPresent() && epoch == g.get().epoch()) {
            if (followsOurCommit(gi, g.get())) {
                r.setGroupInfo(raw);
            } else {
                c.drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "does not match epoch " + epoch);
            }
            return;
        }
        Optional<LeafNode> signer = selfConsistentSigner(gi);
        if (signer.isEmpty() || !signerPinnedOrFirst(tx, signer.get())) {
            c.drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "epoch " + epoch + " not signed by a pinned key");
            return;
        }
        if (g.isPresent()) {
            if (!c.gap) {
                // Our stream is complete, so we cannot have missed the commit: someone is lying.
                c.drops.drop(tx, room, id, DropReason.UNVERIFIED_GROUP_INFO, "epoch " + epoch + " without its commit");
                return;
            }
            LOG.warn("missed commits in a history gap: room={} epoch={} groupInfoEpoch={}; will re-join", room,
                    g.get().epoch(), epoch);
            c.dropGroup(tx, room);
        } else if (r.groupInfo().map(GroupInfos::epochOf).filter(e -> Long.compareUnsigned(e, epoch) >= 0)
                .isPresent()) {
            return;
        }
        r.setGroupInfo(raw);
        BlobLists.add(tx, "rooms", room.value());
    }

    private static boolean followsOurCommit(GroupInfo gi, MlsGroup g) {
        if (!gi.groupContext().equals(g.state().context())) {
            return false;
        }
        Optional<LeafNode> signer = g.state().tree().leaf(gi.signer());
        try {
            return signer.isPresent() && g.state().crypto().verifyWithLabel(signer.get().signatureKey(),
                    GroupInfo.SIGNATURE_LABEL, gi.toBeSigned(), gi.signature().toByteArray());
        } catch (MlsException e) {
            return false;
        }
    }

    /** The signer's leaf, if the GroupInfo's tree checks out and the signature is that leaf's. */
    private Optional<LeafNode> selfConsistentSigner(GroupInfo gi) {
        try {
            PublicGroupView v = PublicGroupView.fromGroupInfo(gi, Optional.empty(), c.options.groupConfig());
            return v.tree().leaf(gi.signer());
        } catch (MlsException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Trust on first use: an identity we never saw has nothing pinned; a known one must use a pinned key. */
    private static boolean signerPinnedOrFirst(ClientStore.Tx tx, LeafNode signer) {
        Optional<UserId> who = DefaultAuthenticationService.account(signer.credential());
        if (who.isEmpty()) {
            return false;
        }
        StoredTrust trust = new StoredTrust(tx);
        return trust.pinned(who.get()).isEmpty() || KeyPins.isPinned(trust, who.get(), signer.signatureKey());
    }

    private static long epochOf(Bytes raw) {
        try {
            return ((GroupInfo) MlsMessage.decode(raw).body()).groupContext().epoch();
        } catch (DecodeException | ClassCastException e) {
            return 0;
        }
    }

    // ---- re-joining --------------------------------------------------------------------------------

    /**
     * Re-joins by external commit every room where we are a member of the room and, by the
     * adopted GroupInfo, still of the group, but hold no group state (lost, or behind a gap).
     */
    void rejoinWhereNeeded() {
        long now = System.nanoTime();
        List<RoomId> candidates = c.store.transaction(tx -> {
            List<RoomId> out = new ArrayList<>();
            for (String name : BlobLists.get(tx, "rooms")) {
                RoomId room = new RoomId(name);
                RoomRecords r = new RoomRecords(tx, room);
                if (!r.inRoom() || c.group(tx, room).isPresent() || r.groupInfo().isEmpty()) {
                    rejoinSince.remove(room);
                    continue;
                }
                boolean stale = stale(r);
                if (r.pending().isPresent() || stale) {
                    // An external commit that never came back in order, or a GroupInfo whose epoch
                    // a commit we read took already (its successor should follow that commit):
                    // wait, but only a while, since the commit's header may have been a lie.
                    long since = rejoinSince.computeIfAbsent(room, x -> now);
                    if (now - since < REJOIN_TIMEOUT.toNanos()) {
                        continue;
                    }
                    if (r.pending().isPresent()) {
                        r.clearPending();
                        LOG.warn("external commit never ordered; retrying: room={}", room);
                    } else {
                        r.clearCommitReadWithoutGroup();
                        LOG.warn("no GroupInfo followed the last commit read; re-joining from the newest: room={}",
                                room);
                    }
                }
                rejoinSince.put(room, now);
                out.add(room);
            }
            return out;
        });
        for (RoomId room : candidates) {
            c.transaction(tx -> {
                rejoin(tx, room);
                return null;
            });
        }
    }

    /**
     * Whether a commit read since the newest GroupInfo names its epoch or a later one: an external
     * commit built on it would lose, yet come back to us looking as if it had won, since we cannot
     * tell which commit of an epoch the others merged without the group's secrets.
     */
    private static boolean stale(RoomRecords r) {
        Optional<Long> read = r.commitReadWithoutGroup();
        return read.isPresent() && r.groupInfo().map(GroupInfos::epochOf)
                .filter(e -> Long.compareUnsigned(e, read.get()) <= 0).isPresent();
    }

    private void rejoin(ClientStore.Tx tx, RoomId room) {
        RoomRecords r = new RoomRecords(tx, room);
        GroupInfo gi;
        try {
            gi = (GroupInfo) MlsMessage.decode(r.groupInfo().orElseThrow()).body();
        } catch (DecodeException | ClassCastException e) {
            r.clearGroupInfo();
            return;
        }
        Optional<LeafIndex> oldLeaf = ExternalRejoin.ownLeaf(gi, c.self, c.options.groupConfig());
        if (oldLeaf.isEmpty()) {
            return; // not a member by the group's account: the bot will add us with a Welcome
        }
        Optional<Bytes> leafKey = ExternalRejoin.leafKey(gi, oldLeaf.get(), c.options.groupConfig());
        for (Bytes ref : tx.mls().keyPackageRefs()) {
            Optional<KeyPackageBundle> b = tx.mls().loadKeyPackage(ref);
            if (b.isPresent() && leafKey.isPresent()
                    && b.get().keyPackage().leafNode().encryptionKey().equals(leafKey.get())) {
                return; // added with one of our KeyPackages: its Welcome is on the way
            }
        }
        try {
            ExternalRejoin.Result res = ExternalRejoin.commit(gi, c.identity, oldLeaf.get(), c.options.groupConfig(),
                    c.psks());
            Bytes bytes = res.commit();
            byte[] nextState = GroupStateCodec.encode(res.group().state());
            try {
                r.setPending(new Blobs.PendingCommit(gi.groupContext().epoch(), Wire.digest(bytes),
                        Bytes.wrap(nextState), Bytes.EMPTY, MlsMessage.of(res.group().groupInfo(true, true)).encode(),
                        List.of(), false));
            } finally {
                Arrays.fill(nextState, (byte) 0); // the new epoch's secrets, sealed into the store by now
            }
            c.enqueueRoom(tx, room, bytes);
            LOG.info("re-joining by external commit: room={} epoch={}", room, gi.groupContext().epoch());
        } catch (MlsException e) {
            LOG.warn("cannot re-join: room={} epoch={} reason={}", room, gi.groupContext().epoch(), e.getMessage());
            r.clearGroupInfo(); // wait for a fresher GroupInfo
        }
    }
}
