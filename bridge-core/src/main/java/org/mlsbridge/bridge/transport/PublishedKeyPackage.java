package org.mlsbridge.bridge.transport;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A KeyPackage as the transport stores it: the encoded MLSMessage and its KeyPackageRef (RFC
 * 9420 §5.2), computed by the caller because the transport knows no MLS; it serves as the
 * item id (XMPP PEP item, Matrix one-time key id).
 */
public record PublishedKeyPackage(Bytes ref, Bytes keyPackage) {
    public PublishedKeyPackage {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(keyPackage, "keyPackage");
        if (ref.isEmpty() || keyPackage.isEmpty()) {
            throw new IllegalArgumentException("ref and KeyPackage must not be empty");
        }
    }
}
