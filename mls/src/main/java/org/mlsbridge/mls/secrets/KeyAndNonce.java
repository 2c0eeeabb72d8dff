package org.mlsbridge.mls.secrets;

import org.mlsbridge.mls.crypto.Secret;

/** An AEAD key and nonce that belong together (sender data §6.3.2, Welcome §12.4.3.1). */
public record KeyAndNonce(Secret key, Secret nonce) {
    /** Wipes both; call once the AEAD operation is done. */
    public void destroy() {
        key.destroy();
        nonce.destroy();
    }
}
