package org.mlsbridge.mls.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.Secret;

/**
 * {@code GroupSecrets} of RFC 9420 §12.4.3.1, the plaintext of a Welcome's encrypted group
 * secrets. Secrets are {@link Secret}s, so the record's equals compares them in constant time and
 * its toString never shows them.
 */
public record GroupSecrets(Secret joinerSecret, Optional<Secret> pathSecret, List<PreSharedKeyId> psks)
        implements TlsEncodable {
    public GroupSecrets {
        Objects.requireNonNull(joinerSecret, "joinerSecret");
        Objects.requireNonNull(pathSecret, "pathSecret");
        psks = List.copyOf(psks);
    }

    private static void writeSecret(TlsWriter w, Secret s) {
        byte[] v = s.copy();
        try {
            w.opaque(v);
        } finally {
            Arrays.fill(v, (byte) 0);
        }
    }

    private static Secret readSecret(TlsReader r) throws DecodeException {
        return Secret.wrap(r.opaqueArray());
    }

    /**
     * Note the encoding itself holds the secrets in a plain array; callers wipe it once it is
     * encrypted.
     */
    @Override
    public void writeTo(TlsWriter w) {
        writeSecret(w, joinerSecret);
        w.optional(pathSecret, GroupSecrets::writeSecret);
        w.vector(psks);
    }

    public static GroupSecrets readFrom(TlsReader r) throws DecodeException {
        return new GroupSecrets(readSecret(r), r.optional(GroupSecrets::readSecret), r.vector(PreSharedKeyId::readFrom));
    }
}
