package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.message.ContentType;

/**
 * One of this member's own application messages or proposals, echoed back by the delivery
 * service: recognised, not decrypted (its key was deleted when it was sent, RFC 9420 §9.2), and
 * nothing to do. (Own commits coming back are returned as their pending {@link StagedCommit}.)
 *
 * @param epoch the epoch it was sent in
 */
public record OwnMessage(ContentType contentType, long epoch) implements ProcessedMessage {
    public OwnMessage {
        Objects.requireNonNull(contentType, "contentType");
    }
}
