package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * What is left of an earlier epoch so that late application messages can still be read (RFC
 * 9420 §9.2 lets members keep such keys for a while): the context and tree to authenticate the
 * sender, and the secret tree and sender data secret to decrypt. Nothing here can create
 * messages for that epoch or derive the next one.
 */
public record PastEpoch(GroupContext context, RatchetTree tree, SecretTree secretTree, Secret senderDataSecret) {
    public PastEpoch {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(secretTree, "secretTree");
        Objects.requireNonNull(senderDataSecret, "senderDataSecret");
    }

    public long epoch() {
        return context.epoch();
    }

    /** Wipes the epoch's keys once it falls out of the window. */
    public void destroy() {
        secretTree.destroy();
        senderDataSecret.destroy();
    }
}
