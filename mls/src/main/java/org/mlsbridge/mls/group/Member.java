package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.tree.LeafIndex;

/** A member of the group in the current epoch: its leaf, credential and signature key. */
public record Member(LeafIndex leaf, Credential credential, Bytes signatureKey) {
    public Member {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(signatureKey, "signatureKey");
    }
}
