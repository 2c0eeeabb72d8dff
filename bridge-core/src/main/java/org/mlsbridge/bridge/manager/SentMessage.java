package org.mlsbridge.bridge.manager;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.bridge.transport.UserId;

/**
 * An application message this client encrypted and queued.
 *
 * @param epoch the epoch it was encrypted in
 * @param members the group's members in that epoch (the sender included): who can read it
 */
public record SentMessage(long epoch, List<UserId> members) {
    public SentMessage {
        Objects.requireNonNull(members, "members");
        members = List.copyOf(members);
    }
}
