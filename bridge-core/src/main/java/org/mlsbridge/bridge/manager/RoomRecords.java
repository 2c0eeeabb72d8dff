package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * A member client's small per-room records in the store (blobs, encrypted at rest like the group
 * state): which group the room is pinned to and which group state is current, our commit in
 * flight, the newest adopted GroupInfo and whether a commit read since makes it stale, whether
 * we are in the room, when we joined and when each recent epoch ended.
 */
final class RoomRecords {
    private static final Bytes MARK = Bytes.of(new byte[] {1});
    private static final int EPOCH_ENDS_KEPT = 32;

    private final ClientStore.Tx tx;
    private final RoomId room;

    RoomRecords(ClientStore.Tx tx, RoomId room) {
        this.tx = tx;
        this.room = room;
    }

    /** The group id of the room's current group state, if any. */
    Optional<Bytes> groupId() {
        return tx.blob("group:" + room.value());
    }

    void setGroupId(Bytes id) {
        tx.putBlob("group:" + room.value(), id);
    }

    void clearGroupId() {
        tx.deleteBlob("group:" + room.value());
    }

    /**
     * The group this room is pinned to: set when we create, join or first adopt a group for it,
     * kept when we leave; only messages, GroupInfos and Welcomes of this group are used.
     */
    Optional<Bytes> pinnedGroup() {
        return tx.blob("groupPin:" + room.value());
    }

    void pinGroup(Bytes id) {
        tx.putBlob("groupPin:" + room.value(), id);
    }

    Optional<Blobs.PendingCommit> pending() {
        Optional<Bytes> raw = tx.blob("pending:" + room.value());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Blobs.PendingCommit.decode(raw.get()));
        } catch (DecodeException e) {
            throw new IllegalStateException("stored pending commit is unreadable", e);
        }
    }

    void setPending(Blobs.PendingCommit pc) {
        byte[] raw = pc.encode();
        try {
            tx.putBlob("pending:" + room.value(), Bytes.wrap(raw));
        } finally {
            Arrays.fill(raw, (byte) 0); // the store keeps its own, sealed copy
        }
    }

    void clearPending() {
        tx.deleteBlob("pending:" + room.value());
    }

    /** The newest GroupInfo adopted under the rules of {@link GroupInfos}, for a later re-join. */
    Optional<Bytes> groupInfo() {
        return tx.blob("groupInfo:" + room.value());
    }

    void setGroupInfo(Bytes raw) {
        tx.putBlob("groupInfo:" + room.value(), raw);
    }

    void clearGroupInfo() {
        tx.deleteBlob("groupInfo:" + room.value());
    }

    /**
     * The highest epoch named by a commit we read while holding no group for the room (its clear
     * header: nothing authenticates it). A GroupInfo of that epoch or an older one is stale: the
     * epoch it lets an external commit take is taken already, or about to be.
     */
    Optional<Long> commitReadWithoutGroup() {
        return tx.blob("commitRead:" + room.value())
                .map(b -> Long.parseUnsignedLong(new String(b.toByteArray(), StandardCharsets.UTF_8)));
    }

    void noteCommitReadWithoutGroup(long epoch) {
        if (commitReadWithoutGroup().filter(e -> Long.compareUnsigned(e, epoch) >= 0).isEmpty()) {
            tx.putBlob("commitRead:" + room.value(),
                    Bytes.wrap(Long.toUnsignedString(epoch).getBytes(StandardCharsets.UTF_8)));
        }
    }

    void clearCommitReadWithoutGroup() {
        tx.deleteBlob("commitRead:" + room.value());
    }

    boolean inRoom() {
        return tx.blob("inRoom:" + room.value()).isPresent();
    }

    void setInRoom(boolean in) {
        if (in) {
            tx.putBlob("inRoom:" + room.value(), MARK);
        } else {
            tx.deleteBlob("inRoom:" + room.value());
        }
    }

    /** The user asked for a commit (fresh keys) that has not happened yet. */
    boolean wantsCommit() {
        return tx.blob("wantCommit:" + room.value()).isPresent();
    }

    void setWantsCommit(boolean want) {
        if (want) {
            tx.putBlob("wantCommit:" + room.value(), MARK);
        } else {
            tx.deleteBlob("wantCommit:" + room.value());
        }
    }

    /** The epoch at which we (last) joined: messages of earlier epochs were not meant for us. */
    Optional<Long> joinedEpoch() {
        return tx.blob("joined:" + room.value())
                .map(b -> Long.parseUnsignedLong(new String(b.toByteArray(), StandardCharsets.UTF_8)));
    }

    void setJoinedEpoch(long epoch) {
        tx.putBlob("joined:" + room.value(),
                Bytes.wrap(Long.toUnsignedString(epoch).getBytes(StandardCharsets.UTF_8)));
    }

    /** When {@code epoch} ended for us (we merged the commit after it), if it is recent. */
    Optional<Instant> epochEnded(long epoch) {
        for (long[] e : epochEnds()) {
            if (e[0] == epoch) {
                return Optional.of(Instant.ofEpochMilli(e[1]));
            }
        }
        return Optional.empty();
    }

    void setEpochEnded(long epoch, Instant at) {
        List<long[]> ends = new ArrayList<>(epochEnds());
        ends.add(new long[] {epoch, at.toEpochMilli()});
        if (ends.size() > EPOCH_ENDS_KEPT) {
            ends = ends.subList(ends.size() - EPOCH_ENDS_KEPT, ends.size());
        }
        TlsWriter w = new TlsWriter();
        w.uint32(ends.size());
        for (long[] e : ends) {
            w.uint64(e[0]);
            w.uint64(e[1]);
        }
        tx.putBlob("ended:" + room.value(), Bytes.wrap(w.toByteArray()));
    }

    private List<long[]> epochEnds() {
        Optional<Bytes> raw = tx.blob("ended:" + room.value());
        if (raw.isEmpty()) {
            return List.of();
        }
        try {
            TlsReader r = TlsReader.of(raw.get());
            long n = r.uint32();
            List<long[]> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(new long[] {r.uint64(), r.uint64()});
            }
            return out;
        } catch (DecodeException e) {
            throw new IllegalStateException("stored epoch end times are unreadable", e);
        }
    }

    /** Everything about the room except its pins (we left or were banned). */
    void forget() {
        for (String k : List.of("group:", "pending:", "groupInfo:", "commitRead:", "inRoom:", "wantCommit:", "joined:",
                "ended:")) {
            tx.deleteBlob(k + room.value());
        }
    }
}
