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

    /**
     * Who the member is: a basic credential's identity, or the DER leaf certificate of an X.509
     * chain (from which the application takes the name it trusts).
     */
    public Bytes identity() {
        return identityOf(credential);
    }

    static Bytes identityOf(Credential credential) {
        return switch (credential) {
            case Credential.BasicCredential b -> b.identity();
            case Credential.X509Credential x -> x.certificates().isEmpty() ? Bytes.EMPTY : x.certificates().get(0);
        };
    }
}
