package org.mlsbridge.vectors.tree;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.vectors.Json;

/** Reading the serialized ratchet trees of the tree vector files. */
final class TreeVectors {
    private TreeVectors() {
    }

    static SuiteCrypto crypto(JsonNode c) {
        return CryptoProvider.defaultProvider().suite(Json.suite(c));
    }

    /** A tree serialized as the ratchet_tree extension's node list. */
    static RatchetTree tree(SuiteCrypto crypto, JsonNode c, String field) throws MlsException {
        return RatchetTree.fromExtension(crypto, TlsReader.decode(Json.hex(c, field), RatchetTreeExtension::readFrom));
    }

    static byte[] encode(RatchetTree tree) {
        return tree.toExtension().toByteArray();
    }
}
