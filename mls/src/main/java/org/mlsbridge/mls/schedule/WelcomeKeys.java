package org.mlsbridge.mls.schedule;

import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.secrets.KeyAndNonce;

/** Key and nonce that encrypt a Welcome's GroupInfo (RFC 9420 §12.4.3.1). */
public final class WelcomeKeys {
    private WelcomeKeys() {
    }

    /** ExpandWithLabel(welcome_secret, "key"/"nonce", "", AEAD.Nk/Nn). */
    public static KeyAndNonce derive(SuiteCrypto crypto, Secret welcomeSecret) {
        Secret key = Kdf.expandWithLabel(crypto, welcomeSecret, "key", new byte[0], crypto.aeadKeyLength());
        Secret nonce = Kdf.expandWithLabel(crypto, welcomeSecret, "nonce", new byte[0], crypto.aeadNonceLength());
        return new KeyAndNonce(key, nonce);
    }
}
