package org.mlsbridge.bridge.trust;

import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;

/**
 * Binds MLS credentials to network accounts (the authentication service of RFC 9420 §5.3.1):
 * a leaf enters a group only when its identity is the account that brought it. The manager asks
 * it at each point where a leaf can enter or change; {@link DefaultAuthenticationService} is the
 * policy that ships. Every method must be deterministic, so that all members decide alike.
 */
public interface AuthenticationService {
    /** The account a credential names; refused if it names none (not a basic credential with an account URI). */
    UserId identity(Credential credential) throws Refusal;

    /** A KeyPackage the directory returned when asked for {@code account}: it must name that account. */
    void checkClaimed(UserId account, KeyPackage keyPackage) throws Refusal;

    /**
     * An external commit's new leaf, carried by a room event whose sender the server
     * authenticated as {@code eventSender} (so a room member at that position of the room's order).
     *
     * @param replaced the leaf its Remove takes out (a resync), if any
     */
    void checkExternalJoin(UserId eventSender, LeafNode joiner, java.util.Optional<LeafNode> replaced,
            RoomPolicy policy) throws Refusal;

    /** A member's leaf replaced by an Update proposal or a commit's UpdatePath: the identity stays. */
    void checkReplacement(LeafNode before, LeafNode after) throws Refusal;
}
