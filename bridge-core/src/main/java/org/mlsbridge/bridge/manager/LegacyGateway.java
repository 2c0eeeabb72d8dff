package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A member-mode bot's gateway between its groups and the room members without an MLS client
 * (legacy users), both ways:
 *
 * <ul>
 *   <li>a legacy user's plain room message goes into the group once, attributed to the account the
 *       server authenticated and marked not end-to-end encrypted ({@link LegacyMarker});
 *   <li>every group message the bot reads goes out as a plain post ({@link GatewayText}) into each
 *       room of the group that has a legacy user, except the room a legacy user wrote it in (that
 *       room has the original already).
 * </ul>
 *
 * <p>A room where nobody lacks MLS gets no plain post at all. Everything happens in the
 * transaction of the event that caused it (the plain posts are outbox entries), so after a crash
 * the event is handled again from the old state or not at all, and a resent post carries its
 * first id. The bot's own plain posts never come back as input: they are from its own account,
 * which is never a legacy user.
 */
final class LegacyGateway {
    private final MemberClient client;
    private final LegacyRooms rooms;
    /** A group room's legacy users, as the bot keeps them (within the transaction). */
    private final BiFunction<ClientStore.Tx, RoomId, List<String>> legacyOf;

    LegacyGateway(MemberClient client, LegacyRooms rooms, BiFunction<ClientStore.Tx, RoomId, List<String>> legacyOf) {
        this.client = client;
        this.rooms = rooms;
        this.legacyOf = legacyOf;
    }

    /** A plain room message; true when it was a legacy user's (gatewayed now or before). */
    boolean fromRoom(ClientStore.Tx tx, RoomEvent.PlainMessage m) {
        Optional<RoomId> group = rooms.groupOf(m.room());
        if (group.isEmpty() || m.sender().equals(client.self())
                || !legacyOf.apply(tx, group.get()).contains(m.sender().value())) {
            return false;
        }
        // Never pruned, unlike the client's seen marks: a replayed plain message has no MLS
        // protection of its own, so this mark is what keeps it from being gatewayed twice.
        if (!tx.mark("relayed", m.room() + "/" + m.serverId())) {
            return true;
        }
        if (m.text().isBlank()) {
            client.drop(tx, m.room(), Optional.of(m.serverId().value()), DropReason.BLANK_PLAIN_TEXT,
                    "from " + m.sender());
            return true;
        }
        if (client.relayPlaintext(tx, group.get(), m.sender(), Bytes.wrap(m.text().getBytes(StandardCharsets.UTF_8)))) {
            client.counters().gatewayedIn();
            post(tx, group.get(), m.sender(), m.text(), Optional.of(m.room()));
        }
        return true;
    }

    /** A group message the bot read, for the legacy users of every room of the group. */
    void toRooms(ClientStore.Tx tx, ReceivedMessage m) {
        String text = new String(m.text().toByteArray(), StandardCharsets.UTF_8);
        // A legacy user's words (relayed by an earlier incarnation of this bot) are already in
        // the room the legacy user wrote them in.
        Optional<RoomId> written = m.endToEndEncrypted() ? Optional.empty() : roomOn(m.room(), m.sender().network());
        post(tx, m.room(), m.sender(), text, written);
    }

    private void post(ClientStore.Tx tx, RoomId group, UserId sender, String text, Optional<RoomId> skip) {
        List<String> legacy = legacyOf.apply(tx, group);
        for (LegacyRooms.Room r : rooms.roomsOf(group)) {
            boolean anyoneThere = legacy.stream().anyMatch(u -> new UserId(u).network() == r.network());
            if (anyoneThere && !skip.equals(Optional.of(r.room()))) {
                tx.enqueue(Outgoing.plainText(r.room(), GatewayText.of(sender, text)));
                client.counters().gatewayedOut();
            }
        }
    }

    private Optional<RoomId> roomOn(RoomId group, UserId.Network network) {
        return rooms.roomsOf(group).stream().filter(r -> r.network() == network).map(LegacyRooms.Room::room).findFirst();
    }
}
