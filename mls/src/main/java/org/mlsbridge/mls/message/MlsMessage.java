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
}
