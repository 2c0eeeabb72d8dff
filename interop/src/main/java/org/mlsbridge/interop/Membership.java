package org.mlsbridge.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.interop.proto.CreateGroupRequest;
import org.mlsbridge.interop.proto.CreateGroupResponse;
import org.mlsbridge.interop.proto.CreateKeyPackageRequest;
import org.mlsbridge.interop.proto.CreateKeyPackageResponse;
import org.mlsbridge.interop.proto.ExternalJoinRequest;
import org.mlsbridge.interop.proto.ExternalJoinResponse;
import org.mlsbridge.interop.proto.FreeRequest;
import org.mlsbridge.interop.proto.FreeResponse;
import org.mlsbridge.interop.proto.JoinGroupRequest;
import org.mlsbridge.interop.proto.JoinGroupResponse;
import org.mlsbridge.interop.proto.PreSharedKey;
import org.mlsbridge.interop.proto.StorePSKRequest;
import org.mlsbridge.interop.proto.StorePSKResponse;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.tree.LeafIndex;

/** Becoming a member (create, KeyPackage + Welcome, external commit), PSKs, and forgetting states. */
final class Membership {
    private final ClientState client;

    Membership(ClientState client) {
        this.client = client;
    }

    CreateGroupResponse createGroup(CreateGroupRequest r) throws MlsException, RpcFailure {
        CipherSuite suite = Wire.suite(r.getCipherSuite(), "cipher_suite");
        if (r.getGroupId().isEmpty()) {
            throw RpcFailure.invalid("group_id is empty");
        }
        SignatureIdentity identity = client.newIdentity(suite, Wire.identity(r.getIdentity()));
        PskStore psks = new PskStore();
        MlsGroup group = MlsGroup.create(identity, Wire.bytes(r.getGroupId()), List.of(),
                client.config(r.getEncryptHandshake()), psks);
        int id = client.handles().add(new GroupHandle(group, identity, psks));
        return CreateGroupResponse.newBuilder().setStateId(id).build();
    }

    CreateKeyPackageResponse createKeyPackage(CreateKeyPackageRequest r) throws MlsException, RpcFailure {
        CipherSuite suite = Wire.suite(r.getCipherSuite(), "cipher_suite");
        KeyPackageHandle kp = client.newKeyPackage(suite, Wire.identity(r.getIdentity()), new PskStore());
        int id = client.handles().add(kp);
        return CreateKeyPackageResponse.newBuilder()
                .setTransactionId(id)
                .setKeyPackage(Wire.message(kp.bundle().keyPackage()))
                .setInitPriv(Wire.secret(kp.bundle().initPrivateKey()))
                .setEncryptionPriv(Wire.secret(kp.bundle().encryptionPrivateKey()))
                .setSignaturePriv(Wire.secret(kp.identity().signaturePrivateKey()))
                .build();
    }

    /** The transaction is used up by a successful join: a KeyPackage is for one Welcome. */
    JoinGroupResponse joinGroup(JoinGroupRequest r) throws MlsException, RpcFailure {
        KeyPackageHandle kp = client.keyPackage(r.getTransactionId());
        MlsGroup group = MlsGroup.join(Wire.welcome(r.getWelcome(), "welcome"), kp.joinKeys(),
                Wire.tree(r.getRatchetTree(), "ratchet_tree"), client.config(r.getEncryptHandshake()), kp.psks());
        client.handles().remove(r.getTransactionId());
        int id = client.handles().add(new GroupHandle(group, kp.identity(), kp.psks()));
        return JoinGroupResponse.newBuilder().setStateId(id)
                .setEpochAuthenticator(Wire.bytes(group.epochAuthenticator())).build();
    }

    ExternalJoinResponse externalJoin(ExternalJoinRequest r) throws MlsException, RpcFailure {
        GroupInfo info = Wire.groupInfo(r.getGroupInfo(), "group_info");
        var tree = Wire.tree(r.getRatchetTree(), "ratchet_tree");
        Bytes identity = Wire.identity(r.getIdentity());
        PskStore psks = new PskStore();
        List<Bytes> pskIds = new ArrayList<>();
        for (PreSharedKey psk : r.getPsksList()) {
            Bytes pskId = Wire.bytes(psk.getPskId());
            psks.put(pskId, Wire.bytes(psk.getPskSecret()));
            pskIds.add(pskId);
        }
        Optional<LeafIndex> prior = Optional.empty();
        if (r.getRemovePrior()) {
            prior = Optional.of(Members.leafOf(Members.unverifiedTree(client.crypto(), info, tree), identity,
                    "remove_prior"));
        }
        SignatureIdentity me = client.newIdentity(info.groupContext().cipherSuite(), identity);
        GroupConfig config = client.config(r.getEncryptHandshake());
        ExternalJoin join = MlsGroup.joinByExternalCommit(info, tree, me, prior, pskIds, Bytes.EMPTY, config, psks);
        int id = client.handles().add(new GroupHandle(join.group(), me, psks));
        return ExternalJoinResponse.newBuilder().setStateId(id)
                .setCommit(Wire.message(join.commit()))
                .setEpochAuthenticator(Wire.bytes(join.group().epochAuthenticator())).build();
    }

    StorePSKResponse storePsk(StorePSKRequest r) throws RpcFailure {
        int id = r.getStateOrTransactionId();
        Object target = client.handles().find(id).orElseThrow(() -> RpcFailure.notFound(
                "no state or transaction with id " + Integer.toUnsignedString(id)));
        PskStore psks = switch (target) {
            case GroupHandle g -> g.psks();
            case KeyPackageHandle k -> k.psks();
            default -> throw RpcFailure.notFound("id " + Integer.toUnsignedString(id)
                    + " names neither a state nor a transaction");
        };
        if (r.getPskId().isEmpty()) {
            throw RpcFailure.invalid("psk_id is empty");
        }
        psks.put(Wire.bytes(r.getPskId()), Wire.bytes(r.getPskSecret()));
        return StorePSKResponse.getDefaultInstance();
    }

    FreeResponse free(FreeRequest r) throws RpcFailure {
        client.group(r.getStateId());
        client.handles().remove(r.getStateId());
        return FreeResponse.getDefaultInstance();
    }
}
