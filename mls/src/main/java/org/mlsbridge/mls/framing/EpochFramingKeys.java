package org.mlsbridge.mls.framing;

import java.util.Objects;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.secrets.SecretTree;

/**
 * What framing needs from one epoch of a group, as the group layer holds it: the GroupContext
 * (signatures and membership tags cover it), the membership key (§6.2), the sender-data secret
 * (§6.3.2) and the epoch's secret tree (§9). The secrets stay owned by the group state.
 */
public record EpochFramingKeys(GroupContext context, Secret membershipKey, Secret senderDataSecret,
        SecretTree secretTree) {
    public EpochFramingKeys {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(membershipKey, "membershipKey");
        Objects.requireNonNull(senderDataSecret, "senderDataSecret");
        Objects.requireNonNull(secretTree, "secretTree");
    }
}
