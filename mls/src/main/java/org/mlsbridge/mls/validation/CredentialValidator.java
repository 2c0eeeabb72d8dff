package org.mlsbridge.mls.validation;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Credential;

/**
 * The application's authentication service (RFC 9420 §5.3): it decides which credentials may
 * appear in a group. The library asks it and turns a refusal into a {@code ValidationException}.
 * Implementations must be stateless or thread-safe and must not block for long.
 */
public interface CredentialValidator {
    /**
     * May a client with this credential and signature key be a member (§5.3.1)? Asked for every
     * leaf that enters the tree (Add, Update, commit path, a tree received when joining).
     */
    boolean acceptsMember(Credential credential, Bytes signatureKey);

    /** May this signer be listed in the group's external_senders extension (§12.1.8.1)? */
    boolean acceptsExternalSender(Credential credential, Bytes signatureKey);

    /**
     * When a member replaces its leaf (Update, commit path, external resync), is {@code next} a
     * valid successor of {@code current} (§5.3.3)? Usually: the same identity.
     */
    boolean acceptsSuccessor(Credential current, Credential next);

    /** The default: basic credentials with a non-empty identity, which may not change on update. */
    static CredentialValidator basic() {
        return BasicCredentialValidator.INSTANCE;
    }
}
