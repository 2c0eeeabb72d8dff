package org.mlsbridge.interop;

import org.mlsbridge.interop.proto.ExportRequest;
import org.mlsbridge.interop.proto.ExportResponse;
import org.mlsbridge.interop.proto.GroupInfoRequest;
import org.mlsbridge.interop.proto.GroupInfoResponse;
import org.mlsbridge.interop.proto.ProtectRequest;
import org.mlsbridge.interop.proto.ProtectResponse;
import org.mlsbridge.interop.proto.StateAuthRequest;
import org.mlsbridge.interop.proto.StateAuthResponse;
import org.mlsbridge.interop.proto.UnprotectRequest;
import org.mlsbridge.interop.proto.UnprotectResponse;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;

/** Reading and using a member's current epoch: GroupInfo, authenticator, exporter, application messages. */
final class GroupUse {
    private final ClientState client;

    GroupUse(ClientState client) {
        this.client = client;
    }

    /** Always with external_pub, so that the GroupInfo serves external joiners. */
    GroupInfoResponse groupInfo(GroupInfoRequest r) throws MlsException, RpcFailure {
        MlsGroup group = client.group(r.getStateId()).group();
        GroupInfoResponse.Builder out = GroupInfoResponse.newBuilder()
                .setGroupInfo(Wire.message(group.groupInfo(!r.getExternalTree(), true)));
        if (r.getExternalTree()) {
            out.setRatchetTree(Wire.tree(group.state().tree()));
        }
        return out.build();
    }

    /** The epoch authenticator of RFC 9420 §8.7, what the harness compares between members. */
    StateAuthResponse stateAuth(StateAuthRequest r) throws RpcFailure {
        MlsGroup group = client.group(r.getStateId()).group();
        return StateAuthResponse.newBuilder().setStateAuthSecret(Wire.bytes(group.epochAuthenticator())).build();
    }

    ExportResponse export(ExportRequest r) throws RpcFailure {
        MlsGroup group = client.group(r.getStateId()).group();
        int max = Math.min(255 * group.state().crypto().hashLength(), 0xffff);
        int length = r.getKeyLength();
        if (length < 0 || length > max) {
            throw RpcFailure.invalid("key_length " + Integer.toUnsignedString(length) + " exceeds " + max);
        }
        Secret exported = group.export(r.getLabel(), r.getContext().toByteArray(), length);
        try {
            return ExportResponse.newBuilder().setExportedSecret(Wire.secret(exported)).build();
        } finally {
            exported.destroy();
        }
    }

    ProtectResponse protect(ProtectRequest r) throws MlsException, RpcFailure {
        MlsGroup group = client.group(r.getStateId()).group();
        MlsMessage m = group.encrypt(Wire.bytes(r.getPlaintext()), Wire.bytes(r.getAuthenticatedData()));
        return ProtectResponse.newBuilder().setCiphertext(Wire.message(m)).build();
    }

    /** Only application messages: a proposal or commit passed here is refused before it is read. */
    UnprotectResponse unprotect(UnprotectRequest r) throws MlsException, RpcFailure {
        MlsGroup group = client.group(r.getStateId()).group();
        MlsMessage m = Wire.message(r.getCiphertext(), "ciphertext");
        if (!(m.body() instanceof PrivateMessage p) || p.contentType() != ContentType.APPLICATION) {
            throw RpcFailure.invalid("ciphertext is not an application PrivateMessage");
        }
        ProcessedMessage processed = group.process(m);
        if (!(processed instanceof ApplicationMessage app)) {
            throw RpcFailure.invalid("ciphertext is this member's own message; its key is already gone");
        }
        return UnprotectResponse.newBuilder()
                .setAuthenticatedData(Wire.bytes(app.authenticatedData()))
                .setPlaintext(Wire.bytes(app.data())).build();
    }
}
