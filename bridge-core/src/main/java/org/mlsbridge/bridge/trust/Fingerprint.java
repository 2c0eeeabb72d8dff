package org.mlsbridge.bridge.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mlsbridge.mls.codec.Bytes;

/** A signature key's fingerprint for out-of-band comparison: SHA-256, hex in groups of four. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Bytes signatureKey) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(signatureKey.toByteArray()));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 4) {
                if (i > 0) {
                    b.append(' ');
                }
                b.append(hex, i, i + 4);
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
