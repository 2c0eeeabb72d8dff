package org.mlsbridge.vectors.framing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.WelcomeProtection;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.JoinerKeys;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.secrets.KeyAndNonce;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;
import org.mlsbridge.vectors.VectorMismatch;

/**
 * welcome.json: find our GroupSecrets by KeyPackageRef and decrypt them with init_priv, decrypt
 * the GroupInfo with the welcome key, verify its signature with signer_pub and its confirmation
 * tag with the key schedule of the epoch it describes. Then re-encrypt both layers with our own
 * code: the GroupInfo must come out byte for byte (same key, nonce and plaintext), the group
 * secrets must decrypt back.
 */
public final class WelcomeChecker implements VectorChecker {
    @Override
    public String kind() {
        return "welcome";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "init_priv", "key_package", "signer_pub", "welcome");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(Json.suite(c));
        Secret initPriv = Secret.wrap(Json.hex(c, "init_priv"));
        KeyPackage keyPackage = body(MlsMessage.decode(Json.bytes(c, "key_package")), KeyPackage.class, "key_package");
        Welcome welcome = body(MlsMessage.decode(Json.bytes(c, "welcome")), Welcome.class, "welcome");
        Check.bytes("init key of init_priv", keyPackage.initKey(), crypto.hpkePublicKey(initPriv));
        Bytes ref = crypto.makeKeyPackageRef(keyPackage.toByteArray());

        WelcomeProtection protection = new WelcomeProtection(crypto);
        GroupSecrets secrets = protection.openGroupSecrets(welcome, ref, initPriv);
        Check.isTrue("GroupSecrets lists PSKs, which the vector does not supply", secrets.psks().isEmpty());

        KeySchedule schedule = new KeySchedule(crypto);
        JoinerKeys joinerKeys = schedule.fromJoinerSecret(secrets.joinerSecret(), schedule.zero());
        GroupInfo info = protection.openGroupInfo(welcome, joinerKeys);
        protection.verifyGroupInfoSignature(info, Json.bytes(c, "signer_pub"));

        KeyAndNonce welcomeKey = joinerKeys.welcomeKey();
        Check.bytes("encrypted_group_info re-encrypted", welcome.encryptedGroupInfo(),
                protection.sealGroupInfo(info, welcomeKey));
        welcomeKey.destroy();

        EpochSecrets epoch = joinerKeys.epochSecrets(info.groupContext());
        protection.verifyConfirmationTag(info, epoch.confirmationKey());

        EncryptedGroupSecrets resealed = protection.sealGroupSecrets(ref, keyPackage.initKey(),
                welcome.encryptedGroupInfo(), secrets);
        Welcome ours = new Welcome(welcome.cipherSuite(), List.of(resealed), welcome.encryptedGroupInfo());
        GroupSecrets again = protection.openGroupSecrets(ours, ref, initPriv);
        Check.isTrue("re-encrypted GroupSecrets decrypt to the same joiner secret",
                again.joinerSecret().equals(secrets.joinerSecret()));
        epoch.destroy();
        joinerKeys.destroy();
    }

    private static <T> T body(MlsMessage m, Class<T> type, String field) {
        if (!type.isInstance(m.body())) {
            throw new VectorMismatch(field + " is a " + m.wireFormat() + ", expected " + type.getSimpleName());
        }
        return type.cast(m.body());
    }
}
