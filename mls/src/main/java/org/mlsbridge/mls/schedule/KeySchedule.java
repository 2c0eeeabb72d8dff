package org.mlsbridge.mls.schedule;

import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;

/**
 * The key schedule of RFC 9420 §8, for one cipher suite:
 *
 * <pre>
 * joiner_secret = ExpandWithLabel(KDF.Extract(init_secret[n-1], commit_secret), "joiner", GroupContext[n], Nh)
 * member        = KDF.Extract(joiner_secret, psk_secret)
 * welcome_secret = DeriveSecret(member, "welcome")
 * epoch_secret  = ExpandWithLabel(member, "epoch", GroupContext[n], Nh)
 * </pre>
 *
 * and from epoch_secret every secret of {@link EpochSecrets}. Inputs are never destroyed here
 * (they stay the caller's: e.g. destroy the old epoch's init_secret after {@link #nextEpoch});
 * intermediate values are wiped as soon as they are used. Stateless and thread-safe.
 */
public final class KeySchedule {
    private final SuiteCrypto crypto;

    public KeySchedule(SuiteCrypto crypto) {
        this.crypto = crypto;
    }

    public SuiteCrypto crypto() {
        return crypto;
    }

    /** The "0" of §8: Nh zero bytes, the commit_secret of a commit without path and the psk_secret without PSKs. */
    public Secret zero() {
        return Secret.zero(crypto.hashLength());
    }

    /** joiner_secret of the epoch described by {@code groupContext}. */
    public Secret joinerSecret(Secret initSecret, Secret commitSecret, GroupContext groupContext) {
        Secret extracted = Kdf.extract(crypto, initSecret, commitSecret);
        try {
            return Kdf.expandWithLabel(crypto, extracted, "joiner", groupContext.toByteArray(), crypto.hashLength());
        } finally {
            extracted.destroy();
        }
    }

    /**
     * For a member processing or creating a commit (including an external commit, whose
     * init_secret comes from the HPKE export of §8.3): every secret of the new epoch.
     */
    public EpochTransition nextEpoch(Secret initSecret, Secret commitSecret, Secret pskSecret,
            GroupContext groupContext) {
        Secret joiner = joinerSecret(initSecret, commitSecret, groupContext);
        JoinerKeys below = new JoinerKeys(crypto, joiner, pskSecret);
        Secret welcome = Secret.wrap(below.welcomeSecret().copy());
        EpochSecrets epoch = below.epochSecrets(groupContext);
        below.destroy();
        return new EpochTransition(joiner, welcome, epoch);
    }

    /** For a new member holding the joiner_secret of a Welcome's GroupSecrets (§12.4.3.1). */
    public JoinerKeys fromJoinerSecret(Secret joinerSecret, Secret pskSecret) {
        return new JoinerKeys(crypto, joinerSecret, pskSecret);
    }

    /** For the creator of a group: epoch 0 starts from a fresh random epoch_secret (§11). */
    public EpochSecrets fromEpochSecret(Secret epochSecret) {
        return EpochSecrets.derive(crypto, epochSecret);
    }
}
