package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.UserId;

/**
 * Plain room messages of users the member-mode bot has not classified yet. The bot learns whether
 * an entering user has an MLS client only after the batch of events that brought the join (it
 * claims KeyPackages then), so a user who speaks at once, or a join and messages read together
 * after the bot was down, would otherwise reach the bot before it knows the user is a legacy user,
 * and the messages would be lost to the group. They wait here, in the bot's store (so a restart
 * keeps them), until the user is classified: gatewayed for a legacy user, discarded for anyone
 * else.
 *
 * <p>At most {@value #MAX_PER_GROUP} per group: a user who floods the room before being
 * classified cannot grow the store; what does not fit is not held.
 */
final class HeldPlainMessages {
    static final int MAX_PER_GROUP = 32;

    /** What becomes of a held message once its sender's status is known. */
    enum Fate {
        /** The sender is still being classified: keep it. */
        WAIT,
        /** The sender is a legacy user: gateway it now. */
        GATEWAY,
        /** The sender has an MLS client, was refused, or left: it was never ours to gateway. */
        DISCARD
    }

    private HeldPlainMessages() {
    }

    /** Holds {@code m} for {@code group}; false when the group's limit is reached (not held). */
    static boolean hold(ClientStore.Tx tx, RoomId group, RoomEvent.PlainMessage m) {
        List<String> held = BlobLists.get(tx, key(group));
        if (held.size() >= MAX_PER_GROUP) {
            return false;
        }
        held.add(encode(m));
        BlobLists.put(tx, key(group), held);
        return true;
    }

    /**
     * Hands every held message whose sender is now a legacy user to {@code gateway}, in the order
     * they arrived, drops those {@code fate} discards (each passed to {@code discarded}), and keeps
     * the rest.
     *
     * @return how many were gatewayed or discarded
     */
    static int release(ClientStore.Tx tx, RoomId group, Function<UserId, Fate> fate,
            Consumer<RoomEvent.PlainMessage> gateway, Consumer<RoomEvent.PlainMessage> discarded) {
        List<String> held = BlobLists.get(tx, key(group));
        if (held.isEmpty()) {
            return 0;
        }
        List<String> kept = new ArrayList<>();
        for (String entry : held) {
            RoomEvent.PlainMessage m = decode(entry);
            switch (fate.apply(m.sender())) {
                case WAIT -> kept.add(entry);
                case GATEWAY -> gateway.accept(m);
                case DISCARD -> discarded.accept(m);
            }
        }
        BlobLists.put(tx, key(group), kept);
        return held.size() - kept.size();
    }

    private static String key(RoomId group) {
        return "mm:held:" + group.value();
    }

    // One line per message (BlobLists): the four fields base64url-encoded, so no text can break
    // the line or the field boundaries.
    private static String encode(RoomEvent.PlainMessage m) {
        return String.join(".", b64(m.room().value()), b64(m.sender().value()), b64(m.serverId().value()),
                b64(m.text()));
    }

    private static RoomEvent.PlainMessage decode(String entry) {
        String[] f = entry.split("\\.", -1);
        return new RoomEvent.PlainMessage(new RoomId(unb64(f[0])), new UserId(unb64(f[1])), new ServerId(unb64(f[2])),
                unb64(f[3]));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
