package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code Commit} of RFC 9420 §12.4. */
public record Commit(List<ProposalOrRef> proposals, Optional<UpdatePath> path) implements TlsEncodable {
    public Commit {
        proposals = List.copyOf(proposals);
        Objects.requireNonNull(path, "path");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.vector(proposals).optional(path);
    }

    public static Commit readFrom(TlsReader r) throws DecodeException {
        return new Commit(r.vector(ProposalOrRef::readFrom), r.optional(UpdatePath::readFrom));
    }
}
