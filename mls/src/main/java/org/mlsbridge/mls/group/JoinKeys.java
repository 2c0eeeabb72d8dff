package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
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

    /** The keys of a KeyPackage made by {@code KeyPackageBuilder} for {@code identity}. */
    public static JoinKeys of(KeyPackageBundle bundle, SignatureIdentity identity) {
        if (!bundle.keyPackage().leafNode().signatureKey().equals(identity.signaturePublicKey())) {
            throw new IllegalArgumentException("the KeyPackage was not made for this signature identity");
        }
        return new JoinKeys(bundle.keyPackage(), bundle.initPrivateKey(), bundle.encryptionPrivateKey(),
                identity.signaturePrivateKey());
    }

    @Override
    public String toString() {
        return "JoinKeys[" + keyPackage.cipherSuite() + ", redacted]";
    }
}
