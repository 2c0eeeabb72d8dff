package org.mlsbridge.mls.schedule;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/**
 * The KDF steps of the key schedule on {@link Secret}s, wiping the temporary copies they make.
 * Labels are bytes here because the exporter (§8.5) accepts arbitrary application labels.
 */
final class Kdf {
    private static final byte[] PREFIX = SuiteCrypto.LABEL_PREFIX.getBytes(StandardCharsets.US_ASCII);

    private Kdf() {
    }

    static byte[] ascii(String label) {
        return label.getBytes(StandardCharsets.US_ASCII);
    }

    /** KDF.Extract(salt, ikm). */
    static Secret extract(SuiteCrypto crypto, Secret salt, Secret ikm) {
        byte[] s = salt.copy();
        byte[] k = ikm.copy();
        try {
            return Secret.wrap(crypto.kdfExtract(s, k));
        } finally {
            Arrays.fill(s, (byte) 0);
            Arrays.fill(k, (byte) 0);
        }
    }

    /** ExpandWithLabel (§5.1.3) with a label of arbitrary bytes. */
    static Secret expandWithLabel(SuiteCrypto crypto, Secret secret, byte[] label, byte[] context, int length) {
        TlsWriter info = new TlsWriter(PREFIX.length + label.length + context.length + 16);
        info.uint16(length);
        int start = info.beginVector();
        info.raw(PREFIX).raw(label);
        info.endVector(start);
        info.opaque(context);
        byte[] s = secret.copy();
        try {
            return Secret.wrap(crypto.kdfExpand(s, info.toByteArray(), length));
        } finally {
            Arrays.fill(s, (byte) 0);
        }
    }

    static Secret expandWithLabel(SuiteCrypto crypto, Secret secret, String label, byte[] context, int length) {
        return expandWithLabel(crypto, secret, ascii(label), context, length);
    }

    /** DeriveSecret (§5.1.3). */
    static Secret deriveSecret(SuiteCrypto crypto, Secret secret, byte[] label) {
        return expandWithLabel(crypto, secret, label, new byte[0], crypto.hashLength());
    }

    static Secret deriveSecret(SuiteCrypto crypto, Secret secret, String label) {
        return deriveSecret(crypto, secret, ascii(label));
    }
}
