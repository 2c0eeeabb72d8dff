package org.mlsbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.interop.proto.CommitRequest;
import org.mlsbridge.interop.proto.CommitResponse;
import org.mlsbridge.interop.proto.CreateGroupRequest;
import org.mlsbridge.interop.proto.CreateKeyPackageRequest;
import org.mlsbridge.interop.proto.CreateKeyPackageResponse;
import org.mlsbridge.interop.proto.FreeRequest;
import org.mlsbridge.interop.proto.HandleCommitRequest;
import org.mlsbridge.interop.proto.HandlePendingCommitRequest;
import org.mlsbridge.interop.proto.JoinGroupRequest;
import org.mlsbridge.interop.proto.ProposalDescription;
import org.mlsbridge.interop.proto.ProtectRequest;
import org.mlsbridge.interop.proto.StateAuthRequest;
import org.mlsbridge.interop.proto.UnprotectRequest;
import org.mlsbridge.interop.proto.UpdateProposalRequest;
import org.mlsbridge.interop.rpc.MlsClientRpcs;
import org.mlsbridge.interop.rpc.Rpc;

/** Bad requests get gRPC error statuses and leave the states as they were; nothing crashes the client. */
class MlsClientServiceTest {
    private InteropServer server;
    private HarnessClient client;

    @BeforeEach
    void start() throws Exception {
        server = InteropServer.start(0);
        client = new HarnessClient("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void unknownIdsAreNotFound() {
        expect(Status.Code.NOT_FOUND, () -> client.call(MlsClientRpcs.STATE_AUTH,
                StateAuthRequest.newBuilder().setStateId(42).build()));
        expect(Status.Code.NOT_FOUND, () -> client.call(MlsClientRpcs.JOIN_GROUP,
                JoinGroupRequest.newBuilder().setTransactionId(7).build()));
        int alice = createGroup("alice");
        client.call(MlsClientRpcs.FREE, FreeRequest.newBuilder().setStateId(alice).build());
        expect(Status.Code.NOT_FOUND, () -> client.call(MlsClientRpcs.FREE,
                FreeRequest.newBuilder().setStateId(alice).build()));
        int tx = keyPackage("bob").getTransactionId();
        expect(Status.Code.NOT_FOUND, () -> client.call(MlsClientRpcs.PROTECT,
                ProtectRequest.newBuilder().setStateId(tx).build()));
    }

    @Test
    void malformedInputIsInvalidAndChangesNothing() {
        int alice = createGroup("alice");
        CreateKeyPackageResponse bob = keyPackage("bob");
        CommitResponse added = client.call(MlsClientRpcs.COMMIT, CommitRequest.newBuilder().setStateId(alice)
                .addByValue(ProposalDescription.newBuilder().setProposalType(utf8("add"))
                        .setKeyPackage(bob.getKeyPackage())).build());
        ByteString authBefore = auth(alice);
        expect(Status.Code.FAILED_PRECONDITION, () -> client.call(MlsClientRpcs.COMMIT,
                CommitRequest.newBuilder().setStateId(alice).build()));
        client.call(MlsClientRpcs.HANDLE_PENDING_COMMIT, HandlePendingCommitRequest.newBuilder().setStateId(alice).build());
        expect(Status.Code.FAILED_PRECONDITION, () -> client.call(MlsClientRpcs.HANDLE_PENDING_COMMIT,
                HandlePendingCommitRequest.newBuilder().setStateId(alice).build()));
        assertThat(auth(alice)).isNotEqualTo(authBefore);

        // A Welcome cut short, then the real one: the transaction survives the failure.
        expect(Status.Code.INVALID_ARGUMENT, () -> client.call(MlsClientRpcs.JOIN_GROUP, JoinGroupRequest.newBuilder()
                .setTransactionId(bob.getTransactionId())
                .setWelcome(added.getWelcome().substring(0, added.getWelcome().size() - 1)).build()));
        int bobState = client.call(MlsClientRpcs.JOIN_GROUP, JoinGroupRequest.newBuilder()
                .setTransactionId(bob.getTransactionId()).setWelcome(added.getWelcome()).build()).getStateId();
        assertThat(auth(bobState)).isEqualTo(auth(alice));

        // A proposal passed to Unprotect, and a tampered commit: refused, the epoch stays.
        ByteString proposal = client.call(MlsClientRpcs.UPDATE_PROPOSAL,
                UpdateProposalRequest.newBuilder().setStateId(bobState).build()).getProposal();
        expect(Status.Code.INVALID_ARGUMENT, () -> client.call(MlsClientRpcs.UNPROTECT,
                UnprotectRequest.newBuilder().setStateId(alice).setCiphertext(proposal).build()));
        ByteString commit = client.call(MlsClientRpcs.COMMIT, CommitRequest.newBuilder().setStateId(alice)
                .addByReference(proposal).build()).getCommit();
        byte[] tampered = commit.toByteArray();
        tampered[tampered.length - 5] ^= 1;
        ByteString before = auth(bobState);
        expect(Status.Code.INVALID_ARGUMENT, () -> client.call(MlsClientRpcs.HANDLE_COMMIT, HandleCommitRequest
                .newBuilder().setStateId(bobState).addProposal(proposal).setCommit(ByteString.copyFrom(tampered))
                .build()));
        assertThat(auth(bobState)).isEqualTo(before);
        client.call(MlsClientRpcs.HANDLE_PENDING_COMMIT, HandlePendingCommitRequest.newBuilder().setStateId(alice).build());
        client.call(MlsClientRpcs.HANDLE_COMMIT, HandleCommitRequest.newBuilder().setStateId(bobState)
                .setCommit(commit).build());
        assertThat(auth(bobState)).isEqualTo(auth(alice)).isNotEqualTo(before);
    }

    @Test
    void unsupportedSuiteAndEmptyIdentityAreInvalid() {
        expect(Status.Code.INVALID_ARGUMENT, () -> client.call(MlsClientRpcs.CREATE_GROUP, CreateGroupRequest
                .newBuilder().setGroupId(utf8("g")).setCipherSuite(0x9999).setIdentity(utf8("a")).build()));
        expect(Status.Code.INVALID_ARGUMENT, () -> client.call(MlsClientRpcs.CREATE_KEY_PACKAGE,
                CreateKeyPackageRequest.newBuilder().setCipherSuite(1).build()));
    }

    /** Every method, fed empty and then random requests (ids that exist among them): statuses, never a crash. */
    @Test
    void randomRequestsNeverCrash() {
        createGroup("alice");
        keyPackage("bob");
        Random random = new Random(20261204);
        for (Rpc<?, ?> rpc : MlsClientRpcs.ALL) {
            for (int i = 0; i < 25; i++) {
                Message request = i == 0 ? rpc.request() : randomMessage(rpc.request().newBuilderForType(), random, 0);
                try {
                    callRaw(rpc, request);
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).as(rpc.name() + " on " + request)
                            .isIn(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION);
                }
            }
        }
        assertThat(client.call(MlsClientRpcs.NAME, org.mlsbridge.interop.proto.NameRequest.getDefaultInstance())
                .getName()).isEqualTo("mlsbridge");
    }

    @SuppressWarnings("unchecked")
    private <Q extends Message, R extends Message> void callRaw(Rpc<Q, R> rpc, Message request) {
        client.call(rpc, (Q) request);
    }

    private static Message randomMessage(Message.Builder b, Random random, int depth) {
        for (Descriptors.FieldDescriptor f : b.getDescriptorForType().getFields()) {
            int count = f.isRepeated() ? random.nextInt(3) : 1;
            for (int k = 0; k < count; k++) {
                Object value = switch (f.getJavaType()) {
                    case BYTE_STRING -> randomBytes(random);
                    case INT -> random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(4);
                    case LONG -> (long) random.nextInt(4);
                    case BOOLEAN -> random.nextBoolean();
                    case STRING -> "label" + random.nextInt(3);
                    case MESSAGE -> depth < 2 ? randomMessage(b.newBuilderForField(f), random, depth + 1) : null;
                    default -> null;
                };
                if (value == null) {
                    continue;
                }
                if (f.isRepeated()) {
                    b.addRepeatedField(f, value);
                } else {
                    b.setField(f, value);
                }
            }
        }
        return b.build();
    }

    private static ByteString randomBytes(Random random) {
        String[] words = {"add", "remove", "externalPSK", "resumptionPSK", "groupContextExtensions", "reinit"};
        if (random.nextInt(4) == 0) {
            return utf8(words[random.nextInt(words.length)]);
        }
        byte[] b = new byte[random.nextInt(48)];
        random.nextBytes(b);
        if (b.length > 4 && random.nextBoolean()) {
            b[0] = 0;
            b[1] = 1;
            b[2] = 0;
            b[3] = (byte) (1 + random.nextInt(5));
        }
        return ByteString.copyFrom(b);
    }

    private int createGroup(String identity) {
        return client.call(MlsClientRpcs.CREATE_GROUP, CreateGroupRequest.newBuilder().setGroupId(utf8("group"))
                .setCipherSuite(1).setIdentity(utf8(identity)).build()).getStateId();
    }

    private CreateKeyPackageResponse keyPackage(String identity) {
        return client.call(MlsClientRpcs.CREATE_KEY_PACKAGE, CreateKeyPackageRequest.newBuilder().setCipherSuite(1)
                .setIdentity(utf8(identity)).build());
    }

    private ByteString auth(int state) {
        return client.call(MlsClientRpcs.STATE_AUTH, StateAuthRequest.newBuilder().setStateId(state).build())
                .getStateAuthSecret();
    }

    private static void expect(Status.Code code, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

}
