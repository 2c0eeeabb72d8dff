package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code ProposalOrRef} of RFC 9420 §12.4: a proposal inline or a reference to one sent earlier. */
public sealed interface ProposalOrRef extends TlsEncodable permits ProposalOrRef.ByValue, ProposalOrRef.ByReference {
    int PROPOSAL = 1;
    int REFERENCE = 2;

    record ByValue(Proposal proposal) implements ProposalOrRef {
        public ByValue {
            Objects.requireNonNull(proposal, "proposal");
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(PROPOSAL);
            proposal.writeTo(w);
        }
    }

    /** @param ref the {@code ProposalRef} (RFC 9420 §5.2) */
    record ByReference(Bytes ref) implements ProposalOrRef {
        public ByReference {
            Objects.requireNonNull(ref, "ref");
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(REFERENCE).opaque(ref);
        }
    }

    static ProposalOrRef readFrom(TlsReader r) throws DecodeException {
        int type = r.uint8();
        return switch (type) {
            case PROPOSAL -> new ByValue(Proposal.readFrom(r));
            case REFERENCE -> new ByReference(r.opaque());
            default -> throw new DecodeException("unknown ProposalOrRefType " + type);
        };
    }
}
