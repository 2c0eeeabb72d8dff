package org.mlsbridge.bridge.trust;

import org.mlsbridge.bridge.transport.RoomId;

/** The policy of each room (from configuration); {@link #uniform} gives every room the same one. */
@FunctionalInterface
public interface RoomPolicies {
    RoomPolicy forRoom(RoomId room);

    static RoomPolicies uniform(RoomPolicy policy) {
        java.util.Objects.requireNonNull(policy, "policy");
        return room -> policy;
    }
}
