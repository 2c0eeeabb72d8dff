package org.mlsbridge.interop;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.MlsMessageBody;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * How the harness carries MLS objects in protobuf fields: every MLS object as a TLS-encoded
 * MLSMessage, a ratchet tree as the ratchet_tree extension's body, cipher suites and extension
 * types as uint32 holding a uint16. Anything malformed is an INVALID_ARGUMENT naming the field.
 */
final class Wire {
    private static final int UINT16_MAX = 0xffff;

    private Wire() {
    }

    static Bytes bytes(ByteString value) {
        return Bytes.wrap(value.toByteArray());
    }

    static ByteString bytes(Bytes value) {
        return ByteString.copyFrom(value.toByteArray());
    }

    static ByteString secret(Secret value) {
        byte[] copy = value.copy();
        try {
            return ByteString.copyFrom(copy);
        } finally {
            java.util.Arrays.fill(copy, (byte) 0);
        }
    }

    static ByteString message(MlsMessageBody body) {
        return ByteString.copyFrom(MlsMessage.of(body).toByteArray());
    }

    static ByteString message(MlsMessage message) {
        return ByteString.copyFrom(message.toByteArray());
    }

    static MlsMessage message(ByteString value, String field) throws RpcFailure {
        if (value.isEmpty()) {
            throw RpcFailure.invalid(field + " is empty");
        }
        try {
            return MlsMessage.decode(value.toByteArray());
        } catch (DecodeException e) {
            throw RpcFailure.invalid(field + " is not an MLSMessage: " + e.getMessage());
        }
    }

    static KeyPackage keyPackage(ByteString value, String field) throws RpcFailure {
        return body(value, field, KeyPackage.class, "KeyPackage");
    }

    static Welcome welcome(ByteString value, String field) throws RpcFailure {
        return body(value, field, Welcome.class, "Welcome");
    }

    static GroupInfo groupInfo(ByteString value, String field) throws RpcFailure {
        return body(value, field, GroupInfo.class, "GroupInfo");
    }

    private static <T extends MlsMessageBody> T body(ByteString value, String field, Class<T> type, String name)
            throws RpcFailure {
        MlsMessageBody body = message(value, field).body();
        if (!type.isInstance(body)) {
            throw RpcFailure.invalid(field + " holds a " + body.wireFormat() + ", not a " + name);
        }
        return type.cast(body);
    }

    /** An out-of-band ratchet tree; an empty field means none was given. */
    static Optional<List<Optional<Node>>> tree(ByteString value, String field) throws RpcFailure {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TlsReader.decode(value.toByteArray(), RatchetTreeExtension::readFrom).nodes());
        } catch (DecodeException e) {
            throw RpcFailure.invalid(field + " is not a ratchet tree: " + e.getMessage());
        }
    }

    static ByteString tree(RatchetTree tree) {
        return ByteString.copyFrom(tree.toExtension().toByteArray());
    }

    static CipherSuite suite(int id, String field) throws RpcFailure {
        if (id < 0 || id > UINT16_MAX) {
            throw RpcFailure.invalid(field + " " + Integer.toUnsignedString(id) + " is not a uint16");
        }
        return CipherSuite.fromId(id).orElseThrow(() -> RpcFailure.invalid("unsupported cipher suite " + id));
    }

    static List<Extension> extensions(List<org.mlsbridge.interop.proto.Extension> extensions, String field)
            throws RpcFailure {
        List<Extension> out = new ArrayList<>(extensions.size());
        for (org.mlsbridge.interop.proto.Extension e : extensions) {
            int type = e.getExtensionType();
            if (type < 0 || type > UINT16_MAX) {
                throw RpcFailure.invalid(field + ": extension type " + Integer.toUnsignedString(type)
                        + " is not a uint16");
            }
            out.add(new Extension(type, bytes(e.getExtensionData())));
        }
        return out;
    }

    static Bytes identity(ByteString value) throws RpcFailure {
        if (value.isEmpty()) {
            throw RpcFailure.invalid("identity is empty");
        }
        return bytes(value);
    }
}
