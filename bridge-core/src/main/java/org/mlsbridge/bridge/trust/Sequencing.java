package org.mlsbridge.bridge.trust;

import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;

/**
 * Who orders handshake messages in a room. A room of one network follows its server's order. A
 * bridged room follows its {@link RoomPolicy#sequencer()}: each side of a bridged pair has its own
 * server order, so members there treat a handshake message posted by anyone else as a submission
 * to the bridge and act only on the bridge's post of it, which the bridge makes into both rooms in
 * one order. Application messages need no order and count from anyone.
 */
public final class Sequencing {
    private Sequencing() {
    }

    /** Proposals, commits and GroupInfos: what changes or announces group state. */
    public static boolean isHandshake(MlsMessage m) {
        return switch (m.body()) {
            case PublicMessage p -> true;
            case PrivateMessage p -> p.contentType() != ContentType.APPLICATION;
            case GroupInfo g -> true;
            default -> false;
        };
    }

    /** Whether a handshake message posted by {@code sender} may change state in a room with {@code policy}. */
    public static boolean counts(RoomPolicy policy, UserId sender) {
        return policy.sequencer().map(sender::equals).orElse(true);
    }

    /** Whether {@code sender} is the room's sequencer (the bridge), as opposed to a member posting itself. */
    public static boolean isSequencer(RoomPolicy policy, UserId sender) {
        return policy.sequencer().filter(sender::equals).isPresent();
    }

    /**
     * The account an external commit counts as sent by. In a bridged room every handshake arrives
     * from the bridge, which accepted the external commit only after checking that its network
     * sender is the joiner's identity ({@code BridgeRelay}); members take the bridge's word for it.
     */
    public static UserId commitSender(RoomPolicy policy, UserId eventSender, Optional<LeafNode> joiner) {
        if (!isSequencer(policy, eventSender) || joiner.isEmpty()) {
            return eventSender;
        }
        return DefaultAuthenticationService.account(joiner.get().credential()).orElse(eventSender);
    }
}
