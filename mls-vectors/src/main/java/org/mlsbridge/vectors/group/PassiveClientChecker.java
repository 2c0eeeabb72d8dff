package org.mlsbridge.vectors.group;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.JoinKeys;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.group.ProposalReceived;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;
import org.mlsbridge.vectors.VectorMismatch;

/**
 * The passive-client vectors (passive-client-welcome, -handling-commit, -random, and any file
 * of the same shape): join from the Welcome with the given KeyPackage keys, external PSKs and
 * (optionally) out-of-band tree, check the first epoch authenticator, then for each epoch
 * process its proposals, process and merge its commit, and check the epoch authenticator.
 */
public final class PassiveClientChecker implements VectorChecker {
    @Override
    public String kind() {
        return "passive-client";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "key_package", "signature_priv", "encryption_priv", "init_priv", "welcome",
                "initial_epoch_authenticator", "epochs");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        KeyPackage kp = body(Json.bytes(c, "key_package"), KeyPackage.class, "key_package");
        Welcome welcome = body(Json.bytes(c, "welcome"), Welcome.class, "welcome");
        Check.equal("cipher_suite", Json.suite(c), kp.cipherSuite());
        JoinKeys keys = new JoinKeys(kp, Secret.wrap(Json.hex(c, "init_priv")),
                Secret.wrap(Json.hex(c, "encryption_priv")), Secret.wrap(Json.hex(c, "signature_priv")));
        MlsGroup group = MlsGroup.join(welcome, keys, outOfBandTree(c), GroupConfig.DEFAULT, externalPsks(c));
        Check.bytes("initial_epoch_authenticator", Json.bytes(c, "initial_epoch_authenticator"),
                group.epochAuthenticator());
        JsonNode epochs = Json.field(c, "epochs");
        for (int i = 0; i < epochs.size(); i++) {
            JsonNode epoch = epochs.get(i);
            for (JsonNode p : Json.field(epoch, "proposals")) {
                ProcessedMessage m = group.process(MlsMessage.decode(Bytes.fromHex(p.asText())));
                Check.isTrue("epoch " + i + ": proposal message gave " + m, m instanceof ProposalReceived);
            }
            ProcessedMessage m = group.process(MlsMessage.decode(Json.bytes(epoch, "commit")));
            if (!(m instanceof StagedCommit staged)) {
                throw new VectorMismatch("epoch " + i + ": commit message gave " + m);
            }
            group.merge(staged);
            Check.bytes("epoch " + i + " epoch_authenticator", Json.bytes(epoch, "epoch_authenticator"),
                    group.epochAuthenticator());
        }
    }

    private static Optional<List<Optional<Node>>> outOfBandTree(JsonNode c) throws Exception {
        byte[] tree = Json.hexOrNull(c, "ratchet_tree");
        if (tree == null) {
            return Optional.empty();
        }
        return Optional.of(TlsReader.decode(tree, RatchetTreeExtension::readFrom).nodes());
    }

    private static PskLookup externalPsks(JsonNode c) {
        Map<Bytes, Secret> psks = new HashMap<>();
        for (JsonNode p : Json.field(c, "external_psks")) {
            psks.put(Json.bytes(p, "psk_id"), Secret.wrap(Json.hex(p, "psk")));
        }
        return PskLookup.ofExternal(psks);
    }

    private static <T> T body(Bytes encoded, Class<T> type, String field) throws Exception {
        MlsMessage m = MlsMessage.decode(encoded);
        if (!type.isInstance(m.body())) {
            throw new VectorMismatch(field + " is a " + m.wireFormat() + ", expected " + type.getSimpleName());
        }
        return type.cast(m.body());
    }
}
