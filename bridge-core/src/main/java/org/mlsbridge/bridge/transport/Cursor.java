package org.mlsbridge.bridge.transport;

import java.util.Objects;

/**
 * Opaque resume token of an event stream (Matrix next_batch plus a position in the batch, XMPP
 * MAM ids per archive). Only the transport that issued it interprets it; the manager stores it
 * verbatim in the same transaction as the state the events up to it produced.
 */
public record Cursor(String value) {
    public Cursor {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("cursor must not be empty");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
