package org.mlsbridge.mls.schedule;

import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.secrets.KeyAndNonce;

/**
 * Everything a committer derives for the new epoch (RFC 9420 §8): joiner_secret goes into the
 * GroupSecrets of new members, welcome_secret encrypts the GroupInfo of the Welcome, and the epoch
 * secrets run the epoch. Destroy the first two once the Welcome is built (or at once if nobody
 * joins).
 */
public record EpochTransition(Secret joinerSecret, Secret welcomeSecret, EpochSecrets epochSecrets) {

    /** Key and nonce for the Welcome's encrypted_group_info (§12.4.3.1). */
    public KeyAndNonce welcomeKey() {
        return WelcomeKeys.derive(epochSecrets.crypto(), welcomeSecret);
    }

    /** Wipes the joiner and welcome secrets, keeping the epoch secrets. */
    public void destroyJoinerSecrets() {
        joinerSecret.destroy();
        welcomeSecret.destroy();
    }
}
