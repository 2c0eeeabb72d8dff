package org.mlsbridge.mls.secrets;

import java.util.Arrays;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/**
 * Key and nonce that protect a PrivateMessage's SenderData (RFC 9420 §6.3.2). They are bound to
 * the start of the content ciphertext, so each message gets its own pair without any state.
 */
public final class SenderDataKeys {
    private SenderDataKeys() {
    }

    /**
     * ExpandWithLabel(sender_data_secret, "key"/"nonce", ciphertext_sample, AEAD.Nk/Nn), where the
     * sample is the first KDF.Nh bytes of {@code ciphertext} (all of it when shorter).
     */
    public static KeyAndNonce derive(SuiteCrypto crypto, Secret senderDataSecret, byte[] ciphertext) {
        byte[] sample = Arrays.copyOf(ciphertext, Math.min(ciphertext.length, crypto.hashLength()));
        Secret key = Kdf.expandWithLabel(crypto, senderDataSecret, "key", sample, crypto.aeadKeyLength());
        Secret nonce = Kdf.expandWithLabel(crypto, senderDataSecret, "nonce", sample, crypto.aeadNonceLength());
        return new KeyAndNonce(key, nonce);
    }
}
