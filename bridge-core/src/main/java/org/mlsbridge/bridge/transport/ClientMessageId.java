package org.mlsbridge.bridge.transport;

import java.util.Objects;

/**
 * The sender's idempotency key for one outgoing message (Matrix txnId, XMPP origin-id). The
 * caller stores it (in its outbox) before the first attempt and reuses it on every retry; a
 * transport delivers at most one message per (sender, client id).
 */
public record ClientMessageId(String value) {
    public ClientMessageId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException("client message id must be 1..255 characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
