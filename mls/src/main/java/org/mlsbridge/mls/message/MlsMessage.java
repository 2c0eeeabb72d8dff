package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code MLSMessage} of RFC 9420 §6: the envelope of everything sent over the wire. */
public record MlsMessage(int version, MlsMessageBody body) implements TlsEncodable {
    public MlsMessage {
        Objects.requireNonNull(body, "body");
    }

    /** An mls10 message. */
    public static MlsMessage of(MlsMessageBody body) {
        return new MlsMessage(GroupContext.MLS10, body);
    }

    public WireFormat wireFormat() {
        return body.wireFormat();
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.uint16(version);
        body.wireFormat().writeTo(w);
        body.writeTo(w);
    }

    public static MlsMessage readFrom(TlsReader r) throws DecodeException {
        int version = Wire.readMls10(r);
        MlsMessageBody body = switch (WireFormat.readFrom(r)) {
            case PUBLIC_MESSAGE -> PublicMessage.readFrom(r);
            case PRIVATE_MESSAGE -> PrivateMessage.readFrom(r);
            case WELCOME -> Welcome.readFrom(r);
            case GROUP_INFO -> GroupInfo.readFrom(r);
            case KEY_PACKAGE -> KeyPackage.readFrom(r);
        };
        return new MlsMessage(version, body);
    }

    /** Decodes a whole message; trailing bytes are an error. */
    public static MlsMessage decode(byte[] data) throws DecodeException {
        return TlsReader.decode(data, MlsMessage::readFrom);
    }

    public static MlsMessage decode(Bytes data) throws DecodeException {
        return TlsReader.decode(data, MlsMessage::readFrom);
    }

    /** Decodes an MLSMessage that must carry a Welcome. */
    public static Welcome decodeWelcome(Bytes data) throws DecodeException {
        return decode(data).bodyAs(Welcome.class);
    }

    /** Decodes an MLSMessage that must carry a GroupInfo. */
    public static GroupInfo decodeGroupInfo(Bytes data) throws DecodeException {
        return decode(data).bodyAs(GroupInfo.class);
    }

    /** Decodes an MLSMessage that must carry a KeyPackage (its signature is checked by whoever uses it). */
    public static KeyPackage decodeKeyPackage(Bytes data) throws DecodeException {
        return decode(data).bodyAs(KeyPackage.class);
    }

    /**
     * Decodes an MLSMessage that must be a group's protocol message (PublicMessage or
     * PrivateMessage), the input of {@code MlsGroup.process}.
     */
    public static MlsMessage decodeProtocolMessage(Bytes data) throws DecodeException {
        MlsMessage m = decode(data);
        if (!(m.body() instanceof PublicMessage) && !(m.body() instanceof PrivateMessage)) {
            throw new DecodeException("expected a PublicMessage or PrivateMessage, got " + m.wireFormat());
        }
        return m;
    }

    /** The body as {@code type}, or a DecodeException naming what it is instead. */
    public <T extends MlsMessageBody> T bodyAs(Class<T> type) throws DecodeException {
        if (!type.isInstance(body)) {
            throw new DecodeException("expected a " + type.getSimpleName() + " message, got " + wireFormat());
        }
        return type.cast(body);
    }
}
