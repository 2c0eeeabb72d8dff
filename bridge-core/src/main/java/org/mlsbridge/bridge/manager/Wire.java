package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Credential;

/** Small helpers over room payloads: what can be read without keys. */
final class Wire {
    private Wire() {
    }

    /** Builds a KeyPackage; failing here is a local crypto fault, not something a peer caused. */
    static org.mlsbridge.mls.keys.KeyPackageBundle build(org.mlsbridge.mls.keys.KeyPackageBuilder builder) {
        try {
            return builder.build();
        } catch (org.mlsbridge.mls.MlsException e) {
            throw new IllegalStateException("cannot create a KeyPackage: " + e.getMessage(), e);
        }
    }

    static String digest(Bytes payload) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(payload.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Bytes identity(UserId user) {
        return Bytes.wrap(user.value().getBytes(StandardCharsets.UTF_8));
    }

    /** The account a credential names, if it is a basic credential holding a valid account URI. */
    static Optional<UserId> user(Credential credential) {
        if (credential instanceof Credential.BasicCredential b && !b.identity().isEmpty()) {
            String s = new String(b.identity().toByteArray(), StandardCharsets.UTF_8);
            return UserId.isValid(s) ? Optional.of(new UserId(s)) : Optional.empty();
        }
        return Optional.empty();
    }

    /** A short printable form of ciphertext for logs and transcripts. */
    static String abbreviate(Bytes b) {
        String hex = b.hex();
        return hex.length() <= 16 ? hex : hex.substring(0, 16) + "…(" + b.length() + " bytes)";
    }
}
