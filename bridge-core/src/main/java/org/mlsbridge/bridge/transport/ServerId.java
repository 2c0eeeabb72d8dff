package org.mlsbridge.bridge.transport;

import java.util.Objects;

/**
 * The id the server gave a message (Matrix event id, XMPP stanza-id / MAM id). The same message
 * always has the same server id, whoever receives it and however often, so it is the key for
 * de-duplicating deliveries.
 */
public record ServerId(String value) {
    public ServerId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("server id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
