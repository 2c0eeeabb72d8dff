package org.mlsbridge.vectors.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.secrets.ContentKind;
import org.mlsbridge.mls.secrets.KeyAndNonce;
import org.mlsbridge.mls.secrets.RatchetKey;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.secrets.SecretTreeConfig;
import org.mlsbridge.mls.secrets.SenderDataKeys;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * secret-tree.json: sender-data key and nonce from a ciphertext sample, and the handshake and
 * application key/nonce of each leaf at the listed generations, through the receiving API (which
 * skips forward to each generation) and, for generation 0, the sending API too.
 */
public final class SecretTreeChecker implements VectorChecker {
    @Override
    public String kind() {
        return "secret-tree";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "cipher_suite", "encryption_secret", "sender_data", "leaves");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(Json.suite(c));

        JsonNode sd = Json.field(c, "sender_data");
        Secret senderDataSecret = Secret.wrap(Json.hex(sd, "sender_data_secret"));
        KeyAndNonce sdKeys = SenderDataKeys.derive(crypto, senderDataSecret, Json.hex(sd, "ciphertext"));
        Check.bytes("sender_data.key", Json.hex(sd, "key"), sdKeys.key().copy());
        Check.bytes("sender_data.nonce", Json.hex(sd, "nonce"), sdKeys.nonce().copy());

        JsonNode leaves = Json.field(c, "leaves");
        int leafCount = leaves.size();
        Secret encryptionSecret = Secret.wrap(Json.hex(c, "encryption_secret"));
        // Large enough for any generation the vectors list; the limits are exercised by unit tests.
        SecretTreeConfig config = new SecretTreeConfig(0, Integer.MAX_VALUE);
        SecretTree receiver = new SecretTree(crypto, encryptionSecret, leafCount, config);
        SecretTree sender = new SecretTree(crypto, encryptionSecret, leafCount, config);
        for (int i = 0; i < leafCount; i++) {
            LeafIndex leaf = LeafIndex.of(i);
            for (JsonNode g : leaves.get(i)) {
                long generation = Json.number(g, "generation");
                for (ContentKind kind : ContentKind.values()) {
                    String prefix = kind == ContentKind.HANDSHAKE ? "handshake" : "application";
                    String what = "leaf " + i + " generation " + generation + " " + prefix;
                    RatchetKey k = receiver.keyFor(leaf, kind, generation);
                    Check.equal(what + " generation", generation, k.generation());
                    Check.bytes(what + "_key", Json.hex(g, prefix + "_key"), k.key().copy());
                    Check.bytes(what + "_nonce", Json.hex(g, prefix + "_nonce"), k.nonce().copy());
                    k.destroy();
                    if (generation == sender.nextGeneration(leaf, kind)) {
                        RatchetKey s = sender.nextKey(leaf, kind);
                        Check.bytes(what + "_key (sending)", Json.hex(g, prefix + "_key"), s.key().copy());
                        Check.bytes(what + "_nonce (sending)", Json.hex(g, prefix + "_nonce"), s.nonce().copy());
                        s.destroy();
                    }
                }
            }
        }
        receiver.destroy();
        sender.destroy();
    }
}
