package org.mlsbridge.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.JoinerKeys;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.secrets.KeyAndNonce;
import org.mlsbridge.mls.tree.LeafIndex;

/** A Welcome built with the sending half opens with the receiving half; damaged ones are refused. */
class WelcomeProtectionTest {
    private static final SuiteCrypto CRYPTO =
            CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);

    private final KeySchedule schedule = new KeySchedule(CRYPTO);
    private final WelcomeProtection protection = new WelcomeProtection(CRYPTO);
    private final SignatureKeyPair signer = CRYPTO.generateSignatureKeyPair();
    private final HpkeKeyPair init = CRYPTO.generateHpkeKeyPair();
    private final Bytes ref = Bytes.wrap(new byte[] {1, 2, 3});
    private final Secret joinerSecret = Secret.wrap(new byte[32]);
    private final GroupContext context = new GroupContext(GroupContext.MLS10, CRYPTO.suite(), Bytes.of(new byte[] {7}),
            4, Bytes.wrap(new byte[32]), Bytes.wrap(new byte[32]), List.of());

    private Welcome build(boolean tagFromWrongKey) throws MlsException {
        JoinerKeys keys = schedule.fromJoinerSecret(joinerSecret, schedule.zero());
        KeyAndNonce welcomeKey = keys.welcomeKey();
        EpochSecrets epoch = keys.epochSecrets(context);
        Secret confirmationKey = tagFromWrongKey ? Secret.wrap(new byte[32]) : epoch.confirmationKey();
        Bytes tag = TranscriptHashes.confirmationTag(CRYPTO, confirmationKey, context.confirmedTranscriptHash());
        GroupInfo unsigned = new GroupInfo(context, List.of(), tag, LeafIndex.of(0), Bytes.EMPTY);
        GroupInfo info = unsigned.withSignature(Bytes.wrap(
                CRYPTO.signWithLabel(signer.privateKey(), GroupInfo.SIGNATURE_LABEL, unsigned.toBeSigned())));
        Bytes encryptedInfo = protection.sealGroupInfo(info, welcomeKey);
        GroupSecrets secrets = new GroupSecrets(joinerSecret, Optional.empty(), List.of());
        return new Welcome(CRYPTO.suite(), List.of(protection.sealGroupSecrets(ref, init.publicKey(), encryptedInfo,
                secrets)), encryptedInfo);
    }

    /** The joiner's side; returns the verified GroupInfo. */
    private GroupInfo join(Welcome welcome) throws MlsException {
        GroupSecrets secrets = protection.openGroupSecrets(welcome, ref, init.privateKey());
        JoinerKeys keys = schedule.fromJoinerSecret(secrets.joinerSecret(), schedule.zero());
        GroupInfo info = protection.openGroupInfo(welcome, keys);
        protection.verifyGroupInfoSignature(info, signer.publicKey());
        EpochSecrets epoch = keys.epochSecrets(info.groupContext());
        protection.verifyConfirmationTag(info, epoch.confirmationKey());
        return info;
    }

    @Test
    void sealedWelcomeOpens() throws MlsException {
        assertThat(join(build(false)).groupContext()).isEqualTo(context);
    }

    @Test
    void welcomeForSomeoneElseIsRejected() throws MlsException {
        Welcome w = build(false);
        assertThatThrownBy(() -> protection.openGroupSecrets(w, Bytes.wrap(new byte[] {9}), init.privateKey()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§12.4.3.1");
    }

    @Test
    void tamperedEncryptedGroupInfoIsRejected() throws MlsException {
        Welcome w = build(false);
        byte[] info = w.encryptedGroupInfo().toByteArray();
        info[info.length - 1] ^= 1;
        // The group secrets are bound to encrypted_group_info, so they no longer decrypt either.
        Welcome bad = new Welcome(w.cipherSuite(), w.secrets(), Bytes.wrap(info));
        assertThatThrownBy(() -> join(bad)).isInstanceOf(CryptoException.class);
    }

    @Test
    void wrongSignerIsRejected() throws MlsException {
        Welcome w = build(false);
        GroupSecrets secrets = protection.openGroupSecrets(w, ref, init.privateKey());
        GroupInfo info = protection.openGroupInfo(w, schedule.fromJoinerSecret(secrets.joinerSecret(), schedule.zero()));
        assertThatThrownBy(() -> protection.verifyGroupInfoSignature(info, CRYPTO.generateSignatureKeyPair().publicKey()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("signature");
    }

    @Test
    void wrongConfirmationTagIsRejected() throws MlsException {
        assertThatThrownBy(() -> join(build(true))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("confirmation tag");
    }

    @Test
    void welcomeForAnotherSuiteIsRejected() throws MlsException {
        Welcome w = build(false);
        Welcome other = new Welcome(CipherSuite.MLS_128_DHKEMP256_AES128GCM_SHA256_P256, w.secrets(),
                w.encryptedGroupInfo());
        assertThatThrownBy(() -> protection.openGroupSecrets(other, ref, init.privateKey()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cipher suite");
    }
}
