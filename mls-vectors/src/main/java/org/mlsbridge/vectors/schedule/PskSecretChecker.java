package org.mlsbridge.vectors.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.schedule.PskInput;
import org.mlsbridge.mls.schedule.PskSecret;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/** psk_secret.json: psk_secret (RFC 9420 §8.4) from a list of external PSKs. */
public final class PskSecretChecker implements VectorChecker {
    /** PSKType external (§8.4). */
    private static final int EXTERNAL = 1;

    @Override
    public String kind() {
        return "psk_secret";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "cipher_suite", "psks", "psk_secret");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(Json.suite(c));
        List<PskInput> psks = new ArrayList<>();
        for (JsonNode p : Json.field(c, "psks")) {
            // PreSharedKeyID { PSKType psktype = external; opaque psk_id<V>; opaque psk_nonce<V>; }
            byte[] id = new TlsWriter().uint8(EXTERNAL).opaque(Json.hex(p, "psk_id"))
                    .opaque(Json.hex(p, "psk_nonce")).toByteArray();
            psks.add(new PskInput(Bytes.wrap(id), Secret.wrap(Json.hex(p, "psk"))));
        }
        Secret pskSecret = PskSecret.compute(crypto, psks);
        Check.bytes("psk_secret", Json.hex(c, "psk_secret"), pskSecret.copy());
    }
}
