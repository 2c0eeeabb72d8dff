package org.mlsbridge.mls.framing;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.schedule.JoinerKeys;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.secrets.KeyAndNonce;

/**
 * The two layers of a Welcome (RFC 9420 §12.4.3.1): GroupSecrets encrypted to each new member's
 * init key with {@code EncryptWithLabel(init_key, "Welcome", encrypted_group_info, group_secrets)},
 * and the GroupInfo encrypted once under the welcome key and nonce of the new epoch.
 *
 * <p>Joining is: {@link #openGroupSecrets} → psk_secret from its {@code psks} →
 * {@code KeySchedule.fromJoinerSecret} → {@link #openGroupInfo} → {@link #verifyGroupInfoSignature}
 * with the signer's key from the tree → {@code JoinerKeys.epochSecrets(GroupContext)} →
 * {@link #verifyConfirmationTag}. Stateless and thread-safe.
 */
public final class WelcomeProtection {
    public static final String LABEL = "Welcome";

    private final SuiteCrypto crypto;

    public WelcomeProtection(SuiteCrypto crypto) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    /** The entry addressed to the KeyPackage with reference {@code keyPackageRef}, if any. */
    public static Optional<EncryptedGroupSecrets> findSecrets(Welcome welcome, Bytes keyPackageRef) {
        return welcome.secrets().stream().filter(s -> s.newMember().equals(keyPackageRef)).findFirst();
    }

    /**
     * Finds and decrypts the GroupSecrets addressed to our KeyPackage.
     *
     * @throws ValidationException the Welcome is for another cipher suite or not addressed to us
     * @throws CryptoException decryption fails
     */
    public GroupSecrets openGroupSecrets(Welcome welcome, Bytes keyPackageRef, Secret initPrivateKey)
            throws MlsException {
        checkSuite(welcome);
        EncryptedGroupSecrets entry = findSecrets(welcome, keyPackageRef).orElseThrow(() -> new ValidationException(
                FailureReason.NOT_FOR_US,
                "RFC 9420 §12.4.3.1: Welcome holds no group secrets for KeyPackage " + keyPackageRef));
        byte[] plain;
        try {
            plain = crypto.decryptWithLabel(initPrivateKey, LABEL, welcome.encryptedGroupInfo().toByteArray(),
                    entry.encryptedGroupSecrets());
        } catch (CryptoException e) {
            throw new CryptoException(FailureReason.DECRYPTION_FAILED,
                    "RFC 9420 §12.4.3.1: cannot decrypt the Welcome's group secrets: "
                    + e.getMessage(), e);
        }
        try {
            return TlsReader.decode(plain, GroupSecrets::readFrom);
        } catch (DecodeException e) {
            throw new DecodeException("RFC 9420 §12.4.3.1: malformed GroupSecrets: " + e.getMessage());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Decrypts the GroupInfo with the welcome key and nonce of the new epoch (from
     * {@link org.mlsbridge.mls.schedule.JoinerKeys#welcomeKey()}: joiner_secret and psk_secret give
     * member_secret, then welcome_secret, §8). The key stays the caller's to destroy.
     */
    public GroupInfo openGroupInfo(Welcome welcome, KeyAndNonce welcomeKey) throws MlsException {
        checkSuite(welcome);
        byte[] plain;
        byte[] key = welcomeKey.key().copy();
        byte[] nonce = welcomeKey.nonce().copy();
        try {
            plain = crypto.aeadOpen(key, nonce, new byte[0], welcome.encryptedGroupInfo().toByteArray());
        } catch (CryptoException e) {
            throw new CryptoException(FailureReason.DECRYPTION_FAILED,
                    "RFC 9420 §12.4.3.1: cannot decrypt the Welcome's GroupInfo", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        }
        GroupInfo info;
        try {
            info = TlsReader.decode(plain, GroupInfo::readFrom);
        } catch (DecodeException e) {
            throw new DecodeException("RFC 9420 §12.4.3.1: malformed GroupInfo: " + e.getMessage());
        }
        if (info.groupContext().cipherSuite() != welcome.cipherSuite()) {
            throw new ValidationException("RFC 9420 §12.4.3.1: GroupInfo is for cipher suite "
                    + info.groupContext().cipherSuite() + " but the Welcome for " + welcome.cipherSuite());
        }
        return info;
    }

    /** {@link #openGroupInfo(Welcome, KeyAndNonce)} with the welcome key of {@code joinerKeys}. */
    public GroupInfo openGroupInfo(Welcome welcome, JoinerKeys joinerKeys) throws MlsException {
        KeyAndNonce welcomeKey = joinerKeys.welcomeKey();
        try {
            return openGroupInfo(welcome, welcomeKey);
        } finally {
            welcomeKey.destroy();
        }
    }

    /** {@code VerifyWithLabel(signer_key, "GroupInfoTBS", GroupInfoTBS, signature)} (§12.4.3). */
    public void verifyGroupInfoSignature(GroupInfo info, Bytes signerSignatureKey) throws MlsException {
        boolean ok;
        try {
            ok = crypto.verifyWithLabel(signerSignatureKey, GroupInfo.SIGNATURE_LABEL, info.toBeSigned(),
                    info.signature().toByteArray());
        } catch (CryptoException e) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §12.4.3.1: cannot verify the GroupInfo signature: "
                    + e.getMessage(), e);
        }
        if (!ok) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §12.4.3.1: GroupInfo signature by " + info.signer()
                    + " does not verify");
        }
    }

    /** The GroupInfo's confirmation tag against the confirmation key of the epoch it describes (§12.4.3.1). */
    public void verifyConfirmationTag(GroupInfo info, Secret confirmationKey) throws ValidationException {
        TranscriptHashes.verifyConfirmationTag(crypto, confirmationKey,
                info.groupContext().confirmedTranscriptHash(), info.confirmationTag());
    }

    // ---- sending side ---------------------------------------------------------------------------

    /** Encrypts a signed GroupInfo under the new epoch's welcome key ({@link org.mlsbridge.mls.schedule.EpochTransition#welcomeKey()}). */
    public Bytes sealGroupInfo(GroupInfo info, KeyAndNonce welcomeKey) {
        byte[] key = welcomeKey.key().copy();
        byte[] nonce = welcomeKey.nonce().copy();
        try {
            return Bytes.wrap(crypto.aeadSeal(key, nonce, new byte[0], info.toByteArray()));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        }
    }

    /** Encrypts {@code secrets} to one new member's init key, bound to the encrypted GroupInfo. */
    public EncryptedGroupSecrets sealGroupSecrets(Bytes keyPackageRef, Bytes initKey, Bytes encryptedGroupInfo,
            GroupSecrets secrets) throws CryptoException {
        byte[] plain = secrets.toByteArray();
        try {
            HpkeCiphertext ct = crypto.encryptWithLabel(initKey, LABEL, encryptedGroupInfo.toByteArray(), plain);
            return new EncryptedGroupSecrets(keyPackageRef, ct);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private void checkSuite(Welcome welcome) throws ValidationException {
        if (welcome.cipherSuite() != crypto.suite()) {
            throw new ValidationException("RFC 9420 §12.4.3.1: Welcome uses cipher suite " + welcome.cipherSuite()
                    + " but our KeyPackage uses " + crypto.suite());
        }
    }
}
