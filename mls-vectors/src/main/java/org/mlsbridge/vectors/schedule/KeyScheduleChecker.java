package org.mlsbridge.vectors.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.EpochTransition;
import org.mlsbridge.mls.schedule.JoinerKeys;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * key-schedule.json: a chain of epochs from initial_init_secret. Per epoch: the GroupContext
 * encoding, joiner/welcome secrets, every epoch secret, the next init_secret, external_pub and one
 * exporter output, computed both as a committer ({@link KeySchedule#nextEpoch}) and as a joiner
 * from joiner_secret ({@link KeySchedule#fromJoinerSecret}).
 */
public final class KeyScheduleChecker implements VectorChecker {
    @Override
    public String kind() {
        return "key-schedule";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "cipher_suite", "group_id", "initial_init_secret", "epochs");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        CipherSuite suite = Json.suite(c);
        SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(suite);
        KeySchedule schedule = new KeySchedule(crypto);
        Bytes groupId = Json.bytes(c, "group_id");
        Secret initSecret = Secret.wrap(Json.hex(c, "initial_init_secret"));
        JsonNode epochs = Json.field(c, "epochs");
        for (int n = 0; n < epochs.size(); n++) {
            JsonNode e = epochs.get(n);
            String at = "epoch " + n + ": ";
            GroupContext gc = new GroupContext(GroupContext.MLS10, suite, groupId, n, Json.bytes(e, "tree_hash"),
                    Json.bytes(e, "confirmed_transcript_hash"), List.of());
            Check.bytes(at + "group_context", Json.hex(e, "group_context"), gc.toByteArray());

            Secret commitSecret = Secret.wrap(Json.hex(e, "commit_secret"));
            Secret pskSecret = Secret.wrap(Json.hex(e, "psk_secret"));
            EpochTransition t = schedule.nextEpoch(initSecret, commitSecret, pskSecret, gc);
            Check.bytes(at + "joiner_secret", Json.hex(e, "joiner_secret"), t.joinerSecret().copy());
            Check.bytes(at + "welcome_secret", Json.hex(e, "welcome_secret"), t.welcomeSecret().copy());
            checkEpoch(at, e, t.epochSecrets());

            JoinerKeys joiner = schedule.fromJoinerSecret(Secret.wrap(Json.hex(e, "joiner_secret")), pskSecret);
            Check.bytes(at + "welcome_secret (joiner)", Json.hex(e, "welcome_secret"), joiner.welcomeSecret().copy());
            EpochSecrets joined = joiner.epochSecrets(gc);
            checkEpoch(at + "(joiner) ", e, joined);
            joiner.destroy();
            joined.destroy();

            initSecret.destroy();
            initSecret = Secret.wrap(t.epochSecrets().initSecret().copy());
            t.destroyJoinerSecrets();
            t.epochSecrets().destroy();
        }
    }

    private static void checkEpoch(String at, JsonNode e, EpochSecrets s) {
        Check.bytes(at + "sender_data_secret", Json.hex(e, "sender_data_secret"), s.senderDataSecret().copy());
        Check.bytes(at + "encryption_secret", Json.hex(e, "encryption_secret"), s.encryptionSecret().copy());
        Check.bytes(at + "exporter_secret", Json.hex(e, "exporter_secret"), s.exporterSecret().copy());
        Check.bytes(at + "epoch_authenticator", Json.hex(e, "epoch_authenticator"), s.epochAuthenticator().copy());
        Check.bytes(at + "external_secret", Json.hex(e, "external_secret"), s.externalSecret().copy());
        Check.bytes(at + "confirmation_key", Json.hex(e, "confirmation_key"), s.confirmationKey().copy());
        Check.bytes(at + "membership_key", Json.hex(e, "membership_key"), s.membershipKey().copy());
        Check.bytes(at + "resumption_psk", Json.hex(e, "resumption_psk"), s.resumptionPsk().copy());
        Check.bytes(at + "init_secret", Json.hex(e, "init_secret"), s.initSecret().copy());
        Check.bytes(at + "external_pub", Json.hex(e, "external_pub"), s.externalPub());
        JsonNode x = Json.field(e, "exporter");
        // The generators (OpenMLS, mlspp) treat "label" as a text label: its hex digits themselves
        // are the label, while "context" is decoded from hex.
        Secret exported = s.export(Json.text(x, "label"), Json.hex(x, "context"), (int) Json.number(x, "length"));
        Check.bytes(at + "exporter.secret", Json.hex(x, "secret"), exported.copy());
    }
}
