package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code PreSharedKeyID} of RFC 9420 §8.4. */
public sealed interface PreSharedKeyId extends TlsEncodable
        permits PreSharedKeyId.ExternalPsk, PreSharedKeyId.ResumptionPsk {
    int EXTERNAL = 1;
    int RESUMPTION = 2;

    Bytes pskNonce();

    /** The uint8 {@code PSKType}. */
    int pskType();

    record ExternalPsk(Bytes pskId, Bytes pskNonce) implements PreSharedKeyId {
        public ExternalPsk {
            Objects.requireNonNull(pskId, "pskId");
            Objects.requireNonNull(pskNonce, "pskNonce");
        }

        @Override
        public int pskType() {
            return EXTERNAL;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(EXTERNAL).opaque(pskId).opaque(pskNonce);
        }
    }

    /** @param pskEpoch unsigned 64-bit */
    record ResumptionPsk(ResumptionPskUsage usage, Bytes pskGroupId, long pskEpoch, Bytes pskNonce)
            implements PreSharedKeyId {
        public ResumptionPsk {
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(pskGroupId, "pskGroupId");
            Objects.requireNonNull(pskNonce, "pskNonce");
        }

        @Override
        public int pskType() {
            return RESUMPTION;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(RESUMPTION);
            usage.writeTo(w);
            w.opaque(pskGroupId).uint64(pskEpoch).opaque(pskNonce);
        }
    }

    static PreSharedKeyId readFrom(TlsReader r) throws DecodeException {
        int type = r.uint8();
        return switch (type) {
            case EXTERNAL -> new ExternalPsk(r.opaque(), r.opaque());
            case RESUMPTION -> new ResumptionPsk(ResumptionPskUsage.readFrom(r), r.opaque(), r.uint64(), r.opaque());
            default -> throw new DecodeException("unknown PSK type " + type);
        };
    }
}
