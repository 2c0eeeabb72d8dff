package org.mlsbridge.mls.schedule;

import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.secrets.KeyAndNonce;

/**
 * The key schedule below joiner_secret (RFC 9420 §8), in the order a new member needs it: the
 * welcome_secret does not depend on the GroupContext, so the Welcome's GroupInfo can be decrypted
 * first, and the epoch secrets follow once that GroupInfo has supplied the GroupContext.
 *
 * <p>Holds KDF.Extract(joiner_secret, psk_secret), the unnamed secret both hang off; it is
 * destroyed by {@link #epochSecrets} (usable once) or {@link #destroy()}. Not thread-safe.
 */
public final class JoinerKeys {
    private final SuiteCrypto crypto;
    private final Secret memberSecret;
    private final Secret welcomeSecret;

    JoinerKeys(SuiteCrypto crypto, Secret joinerSecret, Secret pskSecret) {
        this.crypto = crypto;
        this.memberSecret = Kdf.extract(crypto, joinerSecret, pskSecret);
        this.welcomeSecret = Kdf.deriveSecret(crypto, memberSecret, "welcome");
    }

    /** welcome_secret = DeriveSecret(., "welcome"). */
    public Secret welcomeSecret() {
        return welcomeSecret;
    }

    /** Key and nonce for the Welcome's encrypted_group_info (§12.4.3.1). */
    public KeyAndNonce welcomeKey() {
        return WelcomeKeys.derive(crypto, welcomeSecret);
    }

    /**
     * epoch_secret = ExpandWithLabel(., "epoch", GroupContext, Nh), then every epoch secret. The
     * epoch_secret and the intermediate secret are destroyed; the welcome secret is kept until
     * {@link #destroy()}.
     */
    public EpochSecrets epochSecrets(GroupContext groupContext) {
        Secret epochSecret = Kdf.expandWithLabel(crypto, memberSecret, "epoch", groupContext.toByteArray(),
                crypto.hashLength());
        memberSecret.destroy();
        try {
            return EpochSecrets.derive(crypto, epochSecret);
        } finally {
            epochSecret.destroy();
        }
    }

    public void destroy() {
        memberSecret.destroy();
        welcomeSecret.destroy();
    }
}
