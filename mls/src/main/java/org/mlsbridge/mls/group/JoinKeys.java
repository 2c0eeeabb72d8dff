package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.KeyPackage;

/**
 * What a new member brings to a Welcome: the KeyPackage it published and the private keys
 * behind it (RFC 9420 §10): init key (opens the GroupSecrets), encryption key (its leaf) and
 * signature key.
 */
public record JoinKeys(KeyPackage keyPackage, Secret initPrivateKey, Secret encryptionPrivateKey,
        Secret signaturePrivateKey) {
    public JoinKeys {
        Objects.requireNonNull(keyPackage, "keyPackage");
        Objects.requireNonNull(initPrivateKey, "initPrivateKey");
        Objects.requireNonNull(encryptionPrivateKey, "encryptionPrivateKey");
        Objects.requireNonNull(signaturePrivateKey, "signaturePrivateKey");
    }

    @Override
    public String toString() {
        return "JoinKeys[" + keyPackage.cipherSuite() + ", redacted]";
    }
}
