package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.tree.LeafIndex;

/** {@code GroupInfo} of RFC 9420 §12.4.3: what a joiner needs to know about the group. */
public record GroupInfo(GroupContext groupContext, List<Extension> extensions, Bytes confirmationTag,
        LeafIndex signer, Bytes signature) implements TlsEncodable, MlsMessageBody {
    /** Label of the GroupInfo signature (SignWithLabel, §12.4.3). */
    public static final String SIGNATURE_LABEL = "GroupInfoTBS";

    public GroupInfo {
        Objects.requireNonNull(groupContext, "groupContext");
        Objects.requireNonNull(confirmationTag, "confirmationTag");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(signature, "signature");
        extensions = List.copyOf(extensions);
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.GROUP_INFO;
    }

    public GroupInfo withSignature(Bytes newSignature) {
        return new GroupInfo(groupContext, extensions, confirmationTag, signer, newSignature);
    }

    private void writeContent(TlsWriter w) {
        groupContext.writeTo(w);
        w.vector(extensions).opaque(confirmationTag).uint32(signer.value());
    }

    /** {@code GroupInfoTBS} (§12.4.3): everything but the signature. */
    public byte[] toBeSigned() {
        TlsWriter w = new TlsWriter(256);
        writeContent(w);
        return w.toByteArray();
    }

    @Override
    public void writeTo(TlsWriter w) {
        writeContent(w);
        w.opaque(signature);
    }

    public static GroupInfo readFrom(TlsReader r) throws DecodeException {
        return new GroupInfo(GroupContext.readFrom(r), Wire.readExtensions(r), r.opaque(), Wire.readLeafIndex(r),
                r.opaque());
    }
}
