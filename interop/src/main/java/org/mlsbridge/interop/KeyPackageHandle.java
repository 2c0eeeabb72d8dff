package org.mlsbridge.interop;

import java.util.Objects;
import org.mlsbridge.mls.group.JoinKeys;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;

/** A KeyPackage handed out and waiting for its Welcome (the runner's "transaction"). */
record KeyPackageHandle(KeyPackageBundle bundle, SignatureIdentity identity, PskStore psks) {
    KeyPackageHandle {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(psks, "psks");
    }

    JoinKeys joinKeys() {
        return JoinKeys.of(bundle, identity);
    }

    @Override
    public String toString() {
        return "KeyPackageHandle[" + identity.credential() + ", keys redacted]";
    }
}
