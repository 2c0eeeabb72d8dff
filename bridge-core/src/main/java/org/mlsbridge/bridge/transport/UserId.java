package org.mlsbridge.bridge.transport;

import java.util.Objects;

/**
 * One MLS client on the network (an XMPP bare JID, a Matrix user id). The manager uses it as the
 * identity of the member's BasicCredential, so a user with several devices appears as several
 * user ids (e.g. {@code @alice:hs/DEVICE}) until multi-device support exists.
 */
public record UserId(String value) implements Comparable<UserId> {
    public UserId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("user id must not be blank");
        }
    }

    @Override
    public int compareTo(UserId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
