package org.mlsbridge.mls.framing;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;

/**
 * {@code FramedContentTBS} of RFC 9420 §6.1: what the sender signs. Members and new members
 * joining by external commit bind the signature to the GroupContext; external senders and
 * new-member proposals, who may not know it, do not.
 *
 * @param context present exactly when {@link #needsContext(Sender)} is true
 */
public record FramedContentTbs(WireFormat wireFormat, FramedContent content, Optional<GroupContext> context)
        implements TlsEncodable {
    public static final int MLS10 = 1;

    public FramedContentTbs {
        Objects.requireNonNull(wireFormat, "wireFormat");
        Objects.requireNonNull(content, "content");
        if (context.isPresent() != needsContext(content.sender())) {
            throw new IllegalArgumentException("RFC 9420 §6.1: GroupContext belongs in FramedContentTBS exactly for "
                    + "member and new_member_commit senders");
        }
    }

    /** Builds the TBS, taking the context only for the senders whose signature covers it. */
    public static FramedContentTbs of(WireFormat wireFormat, FramedContent content, GroupContext context) {
        return new FramedContentTbs(wireFormat, content,
                needsContext(content.sender()) ? Optional.of(context) : Optional.empty());
    }

    public static boolean needsContext(Sender sender) {
        return switch (sender) {
            case Sender.Member m -> true;
            case Sender.NewMemberCommit n -> true;
            case Sender.External e -> false;
            case Sender.NewMemberProposal n -> false;
        };
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.uint16(MLS10).uint16(wireFormat.id());
        content.writeTo(w);
        context.ifPresent(c -> c.writeTo(w));
    }
}
