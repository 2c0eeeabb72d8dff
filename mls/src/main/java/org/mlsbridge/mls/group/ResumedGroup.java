package org.mlsbridge.mls.group;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.message.Welcome;

/**
 * A group created from another by ReInit or branch (RFC 9420 §11.2, §11.3): the new group, at
 * epoch 1 with the resumed members added, and the Welcome to send them (empty if none).
 */
public record ResumedGroup(MlsGroup group, Optional<Welcome> welcome) {
    public ResumedGroup {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(welcome, "welcome");
    }
}
