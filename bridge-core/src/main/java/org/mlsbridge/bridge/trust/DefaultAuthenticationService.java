package org.mlsbridge.bridge.trust;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;

/**
 * The authentication service that ships: a basic credential's identity is the account URI, the
 * server authenticates who sends a room event and who publishes a KeyPackage, and a leaf may
 * only ever speak for the account that brought it into the group.
 */
public final class DefaultAuthenticationService implements AuthenticationService {
    @Override
    public UserId identity(Credential credential) throws Refusal {
        return account(credential).orElseThrow(() -> new Refusal(Refusal.Rule.INVALID_IDENTITY,
                "credential names no account URI"));
    }

    /** The account a credential names, if any. */
    public static Optional<UserId> account(Credential credential) {
        if (credential instanceof Credential.BasicCredential b) {
            String s = new String(b.identity().toByteArray(), StandardCharsets.UTF_8);
            return UserId.isValid(s) ? Optional.of(new UserId(s)) : Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public void checkClaimed(UserId account, KeyPackage keyPackage) throws Refusal {
        Optional<UserId> named = account(keyPackage.leafNode().credential());
        if (!named.equals(Optional.of(account))) {
            throw new Refusal(Refusal.Rule.KEY_PACKAGE_IDENTITY, "KeyPackage claimed for " + account + " names "
                    + named.map(UserId::value).orElse("no account"));
        }
    }

    @Override
    public void checkExternalJoin(UserId eventSender, LeafNode joiner, Optional<LeafNode> replaced,
            RoomPolicy policy) throws Refusal {
        UserId joining = identity(joiner.credential());
        if (!joining.equals(eventSender)) {
            throw new Refusal(Refusal.Rule.EXTERNAL_JOIN_IMPERSONATION, "external commit sent by " + eventSender
                    + " for the identity " + joining);
        }
        if (replaced.isPresent()) {
            Optional<UserId> old = account(replaced.get().credential());
            if (!old.equals(Optional.of(joining))) {
                throw new Refusal(Refusal.Rule.EXTERNAL_JOIN_REFUSED, joining + " resyncs the leaf of "
                        + old.map(UserId::value).orElse("no account"));
            }
        }
        switch (policy.externalJoins()) {
            case ROOM_MEMBERS_AS_THEMSELVES -> {
                // the server vouched that the sender is a room member at this point of the order
            }
            case RESYNC_ONLY -> {
                if (replaced.isEmpty()) {
                    throw new Refusal(Refusal.Rule.EXTERNAL_JOIN_REFUSED, "the room allows external commits only "
                            + "to resync one's own leaf");
                }
            }
            case NONE -> throw new Refusal(Refusal.Rule.EXTERNAL_JOIN_REFUSED, "the room allows no external commits");
        }
    }

    @Override
    public void checkReplacement(LeafNode before, LeafNode after) throws Refusal {
        UserId was = identity(before.credential());
        UserId now = identity(after.credential());
        if (!was.equals(now)) {
            throw new Refusal(Refusal.Rule.IDENTITY_CHANGE, "leaf of " + was + " would become " + now);
        }
    }
}
