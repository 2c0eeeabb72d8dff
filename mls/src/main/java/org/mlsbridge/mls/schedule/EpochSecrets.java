package org.mlsbridge.mls.schedule;

import java.util.Arrays;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/**
 * The secrets of one epoch, derived from epoch_secret with DeriveSecret (RFC 9420 §8, table in
 * §8): the epoch_secret itself is not kept. Each accessor returns the live {@link Secret}; whoever
 * consumes one for good (e.g. encryption_secret once the secret tree exists, init_secret once the
 * next epoch is derived) may destroy it, and {@link #destroy()} wipes them all at the end of the
 * epoch.
 *
 * <p>Not thread-safe.
 */
public final class EpochSecrets {
    private final SuiteCrypto crypto;
    private final Secret senderDataSecret;
    private final Secret encryptionSecret;
    private final Secret exporterSecret;
    private final Secret externalSecret;
    private final Secret confirmationKey;
    private final Secret membershipKey;
    private final Secret resumptionPsk;
    private final Secret epochAuthenticator;
    private final Secret initSecret;

    private EpochSecrets(SuiteCrypto crypto, Secret epochSecret) {
        this.crypto = crypto;
        senderDataSecret = Kdf.deriveSecret(crypto, epochSecret, "sender data");
        encryptionSecret = Kdf.deriveSecret(crypto, epochSecret, "encryption");
        exporterSecret = Kdf.deriveSecret(crypto, epochSecret, "exporter");
        externalSecret = Kdf.deriveSecret(crypto, epochSecret, "external");
        confirmationKey = Kdf.deriveSecret(crypto, epochSecret, "confirm");
        membershipKey = Kdf.deriveSecret(crypto, epochSecret, "membership");
        resumptionPsk = Kdf.deriveSecret(crypto, epochSecret, "resumption");
        epochAuthenticator = Kdf.deriveSecret(crypto, epochSecret, "authentication");
        initSecret = Kdf.deriveSecret(crypto, epochSecret, "init");
    }

    private EpochSecrets(SuiteCrypto crypto, List<Secret> all) {
        this.crypto = crypto;
        senderDataSecret = all.get(0);
        encryptionSecret = all.get(1);
        exporterSecret = all.get(2);
        externalSecret = all.get(3);
        confirmationKey = all.get(4);
        membershipKey = all.get(5);
        resumptionPsk = all.get(6);
        epochAuthenticator = all.get(7);
        initSecret = all.get(8);
    }

    /**
     * Reassembles stored epoch secrets (a group state loaded from storage), taking ownership of
     * them, in the order of {@link #all()}. A secret already consumed (the encryption_secret once
     * the secret tree exists) may be given destroyed.
     */
    public static EpochSecrets restore(SuiteCrypto crypto, List<Secret> all) {
        if (all.size() != 9) {
            throw new IllegalArgumentException("an epoch has 9 secrets, got " + all.size());
        }
        return new EpochSecrets(crypto, List.copyOf(all));
    }

    /**
     * Every secret in a fixed order: sender data, encryption, exporter, external, confirmation
     * key, membership key, resumption PSK, epoch authenticator, init.
     */
    public List<Secret> all() {
        return List.of(senderDataSecret, encryptionSecret, exporterSecret, externalSecret, confirmationKey,
                membershipKey, resumptionPsk, epochAuthenticator, initSecret);
    }

    /** Derives every epoch secret; {@code epochSecret} stays the caller's to destroy. */
    static EpochSecrets derive(SuiteCrypto crypto, Secret epochSecret) {
        return new EpochSecrets(crypto, epochSecret);
    }

    public SuiteCrypto crypto() {
        return crypto;
    }

    /** Keys the SenderData of PrivateMessages (§6.3.2). */
    public Secret senderDataSecret() {
        return senderDataSecret;
    }

    /** Root of the secret tree (§9). */
    public Secret encryptionSecret() {
        return encryptionSecret;
    }

    /** Base of {@link #export} (§8.5). */
    public Secret exporterSecret() {
        return exporterSecret;
    }

    /** Seed of the external HPKE key pair (§8.3). */
    public Secret externalSecret() {
        return externalSecret;
    }

    /** Key of the confirmation tag MAC (§6.1). */
    public Secret confirmationKey() {
        return confirmationKey;
    }

    /** Key of the PublicMessage membership tag MAC (§6.2). */
    public Secret membershipKey() {
        return membershipKey;
    }

    /** The resumption PSK of this epoch (§8.6). */
    public Secret resumptionPsk() {
        return resumptionPsk;
    }

    /** Value members may compare out of band to confirm they share the epoch (§8.7). */
    public Secret epochAuthenticator() {
        return epochAuthenticator;
    }

    /** init_secret for the next epoch. */
    public Secret initSecret() {
        return initSecret;
    }

    /** The external key pair: DeriveKeyPair(external_secret) (§8.3). */
    public HpkeKeyPair externalKeyPair() {
        byte[] ikm = externalSecret.copy();
        try {
            return crypto.deriveHpkeKeyPair(ikm);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** external_pub, published in the GroupInfo's external_pub extension (§12.4.3.2). */
    public Bytes externalPub() {
        HpkeKeyPair pair = externalKeyPair();
        pair.privateKey().destroy();
        return pair.publicKey();
    }

    /**
     * MLS-Exporter(Label, Context, Length) of §8.5:
     * ExpandWithLabel(DeriveSecret(exporter_secret, Label), "exported", Hash(Context), Length).
     */
    public Secret export(byte[] label, byte[] context, int length) {
        Secret derived = Kdf.deriveSecret(crypto, exporterSecret, label);
        try {
            return Kdf.expandWithLabel(crypto, derived, "exported", crypto.hash(context), length);
        } finally {
            derived.destroy();
        }
    }

    /** {@link #export(byte[], byte[], int)} with a label given as text (encoded as UTF-8). */
    public Secret export(String label, byte[] context, int length) {
        return export(label.getBytes(java.nio.charset.StandardCharsets.UTF_8), context, length);
    }

    /** Wipes every secret of the epoch. */
    public void destroy() {
        for (Secret s : List.of(senderDataSecret, encryptionSecret, exporterSecret, externalSecret,
                confirmationKey, membershipKey, resumptionPsk, epochAuthenticator, initSecret)) {
            s.destroy();
        }
    }

    @Override
    public String toString() {
        return "EpochSecrets[" + crypto.suite() + ", redacted]";
    }
}
