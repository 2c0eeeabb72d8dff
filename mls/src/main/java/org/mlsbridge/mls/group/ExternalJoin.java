package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * The result of joining by external commit (RFC 9420 §12.4.3.2): the commit to send, and the
 * group, already in the epoch the commit starts. If the delivery service orders another commit
 * for the same epoch first, the members discard this one and the join must be retried from a
 * fresh GroupInfo. The commit's echo is recognised as an {@link OwnMessage}.
 */
public record ExternalJoin(MlsMessage commit, MlsGroup group) {
    public ExternalJoin {
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(group, "group");
    }
}
