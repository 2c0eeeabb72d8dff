package org.mlsbridge.mls.message;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;

/**
 * The clear header of a group message (RFC 9420 §6.2, §6.3): which group and epoch it is for
 * and what it carries, readable before processing, e.g. to route it to its group, to count it,
 * or to keep a message of a future epoch for later. Nothing in it is authenticated until the
 * message is processed.
 *
 * @param sender for a PublicMessage, its sender; empty for a PrivateMessage, whose sender is
 *     encrypted
 */
public record MessageHeader(WireFormat wireFormat, Bytes groupId, long epoch, ContentType contentType,
        Optional<Sender> sender) {
    public MessageHeader {
        Objects.requireNonNull(wireFormat, "wireFormat");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sender, "sender");
    }

    /**
     * Reads the header of an encoded MLSMessage from its first bytes only: the rest is neither
     * decoded nor checked, so this costs the same for any message size.
     *
     * @throws DecodeException the prefix is malformed, or the message is not a PublicMessage or
     *     PrivateMessage (a Welcome, GroupInfo or KeyPackage has no group header)
     */
    public static MessageHeader peek(Bytes encoded) throws DecodeException {
        TlsReader r = TlsReader.of(encoded);
        Wire.readMls10(r);
        WireFormat format = WireFormat.readFrom(r);
        return switch (format) {
            case PUBLIC_MESSAGE -> {
                Bytes groupId = r.opaque();
                long epoch = r.uint64();
                Sender sender = Sender.readFrom(r);
                r.opaque(); // authenticated_data
                yield new MessageHeader(format, groupId, epoch, ContentType.readFrom(r), Optional.of(sender));
            }
            case PRIVATE_MESSAGE -> new MessageHeader(format, r.opaque(), r.uint64(), ContentType.readFrom(r),
                    Optional.empty());
            case WELCOME, GROUP_INFO, KEY_PACKAGE -> throw new DecodeException("RFC 9420 §6: a " + format
                    + " has no group message header");
        };
    }

    public static MessageHeader peek(byte[] encoded) throws DecodeException {
        return peek(Bytes.of(encoded));
    }

    /** The header of a decoded message; empty for a Welcome, GroupInfo or KeyPackage. */
    public static Optional<MessageHeader> of(MlsMessage message) {
        return switch (message.body()) {
            case PublicMessage p -> Optional.of(new MessageHeader(WireFormat.PUBLIC_MESSAGE, p.content().groupId(),
                    p.content().epoch(), p.content().contentType(), Optional.of(p.content().sender())));
            case PrivateMessage p -> Optional.of(new MessageHeader(WireFormat.PRIVATE_MESSAGE, p.groupId(), p.epoch(),
                    p.contentType(), Optional.empty()));
            default -> Optional.empty();
        };
    }
}
