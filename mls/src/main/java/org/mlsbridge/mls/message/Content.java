package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * The content-type-dependent part of {@code FramedContent} (RFC 9420 §6), also the tail of
 * {@code PrivateMessageContent} (§6.3.1).
 */
public sealed interface Content permits Content.Application, Content.ProposalContent, Content.CommitContent {
    ContentType contentType();

    /** The body without the content type (which precedes it elsewhere in each enclosing struct). */
    void writeBody(TlsWriter w);

    record Application(Bytes data) implements Content {
        public Application {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public ContentType contentType() {
            return ContentType.APPLICATION;
        }

        @Override
        public void writeBody(TlsWriter w) {
            w.opaque(data);
        }
    }

    record ProposalContent(Proposal proposal) implements Content {
        public ProposalContent {
            Objects.requireNonNull(proposal, "proposal");
        }

        @Override
        public ContentType contentType() {
            return ContentType.PROPOSAL;
        }

        @Override
        public void writeBody(TlsWriter w) {
            proposal.writeTo(w);
        }
    }

    record CommitContent(Commit commit) implements Content {
        public CommitContent {
            Objects.requireNonNull(commit, "commit");
        }

        @Override
        public ContentType contentType() {
            return ContentType.COMMIT;
        }

        @Override
        public void writeBody(TlsWriter w) {
            commit.writeTo(w);
        }
    }

    /** Reads the body of the given type. */
    static Content readBody(TlsReader r, ContentType type) throws DecodeException {
        return switch (type) {
            case APPLICATION -> new Application(r.opaque());
            case PROPOSAL -> new ProposalContent(Proposal.readFrom(r));
            case COMMIT -> new CommitContent(Commit.readFrom(r));
        };
    }
}
