package org.mlsbridge.xmpp.mam;

import java.util.Objects;
import org.jivesoftware.smack.packet.Message;

/** One archived message and its archive id (equal to the stanza-id the archive stamped live). */
public record Archived(String id, Message message) {
    public Archived {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(message, "message");
    }
}
