package org.mlsbridge.mls.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/** Secret-to-secret wrappers around the labeled KDF that wipe the temporary copies they make. */
final class Kdf {
    private Kdf() {
    }

    static Secret expandWithLabel(SuiteCrypto crypto, Secret secret, String label, byte[] context, int length) {
        byte[] s = secret.copy();
        try {
            return Secret.wrap(crypto.expandWithLabel(s, label, context, length));
        } finally {
            Arrays.fill(s, (byte) 0);
        }
    }

    static Secret expandWithLabel(SuiteCrypto crypto, Secret secret, String label, String context, int length) {
        return expandWithLabel(crypto, secret, label, context.getBytes(StandardCharsets.US_ASCII), length);
    }

    static Secret deriveTreeSecret(SuiteCrypto crypto, Secret secret, String label, long generation, int length) {
        byte[] s = secret.copy();
        try {
            return Secret.wrap(crypto.deriveTreeSecret(s, label, generation, length));
        } finally {
            Arrays.fill(s, (byte) 0);
        }
    }
}
