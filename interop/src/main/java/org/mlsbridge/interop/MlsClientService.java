package org.mlsbridge.interop;

import com.google.protobuf.Message;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.util.Arrays;
import org.mlsbridge.interop.proto.NameResponse;
import org.mlsbridge.interop.proto.SupportedCiphersuitesResponse;
import org.mlsbridge.interop.rpc.MlsClientRpcs;
import org.mlsbridge.interop.rpc.Rpc;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLSClient service: binds every method of the working group's interface to our
 * operations. Calls run one at a time (the runner drives its clients step by step, and a group
 * is confined to one thread at a time); every failure becomes a gRPC status, never a crash:
 * unknown ids NOT_FOUND, malformed or invalid input (including everything the MLS library
 * rejects) INVALID_ARGUMENT, calls out of order FAILED_PRECONDITION, our own bugs INTERNAL.
 */
public final class MlsClientService {
    public static final String NAME = "mlsbridge";
    private static final Logger LOG = LoggerFactory.getLogger(MlsClientService.class);

    private final Object lock = new Object();
    private final ClientState client = new ClientState();
    private final Membership membership = new Membership(client);
    private final GroupUse groupUse = new GroupUse(client);
    private final Descriptions descriptions = new Descriptions();
    private final Proposals proposals = new Proposals(client, descriptions);
    private final Commits commits = new Commits(client, descriptions);
    private final Resumption resumption = new Resumption(client, commits);
    private final ExternalSenders external = new ExternalSenders(client, descriptions);

    /** One RPC's work; may throw anything, which {@link #call} turns into a status. */
    @FunctionalInterface
    interface Operation<Q, R> {
        R apply(Q request) throws Exception;
    }

    public ServerServiceDefinition definition() {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(MlsClientRpcs.SERVICE);
        bind(b, MlsClientRpcs.NAME, r -> NameResponse.newBuilder().setName(NAME).build());
        bind(b, MlsClientRpcs.SUPPORTED_CIPHERSUITES, r -> SupportedCiphersuitesResponse.newBuilder()
                .addAllCiphersuites(Arrays.stream(CipherSuite.values()).map(CipherSuite::id).toList()).build());
        bind(b, MlsClientRpcs.CREATE_GROUP, membership::createGroup);
        bind(b, MlsClientRpcs.CREATE_KEY_PACKAGE, membership::createKeyPackage);
        bind(b, MlsClientRpcs.JOIN_GROUP, membership::joinGroup);
        bind(b, MlsClientRpcs.EXTERNAL_JOIN, membership::externalJoin);
        bind(b, MlsClientRpcs.GROUP_INFO, groupUse::groupInfo);
        bind(b, MlsClientRpcs.STATE_AUTH, groupUse::stateAuth);
        bind(b, MlsClientRpcs.EXPORT, groupUse::export);
        bind(b, MlsClientRpcs.PROTECT, groupUse::protect);
        bind(b, MlsClientRpcs.UNPROTECT, groupUse::unprotect);
        bind(b, MlsClientRpcs.STORE_PSK, membership::storePsk);
        bind(b, MlsClientRpcs.ADD_PROPOSAL, proposals::add);
        bind(b, MlsClientRpcs.UPDATE_PROPOSAL, proposals::update);
        bind(b, MlsClientRpcs.REMOVE_PROPOSAL, proposals::remove);
        bind(b, MlsClientRpcs.EXTERNAL_PSK_PROPOSAL, proposals::externalPsk);
        bind(b, MlsClientRpcs.RESUMPTION_PSK_PROPOSAL, proposals::resumptionPsk);
        bind(b, MlsClientRpcs.GROUP_CONTEXT_EXTENSIONS_PROPOSAL, proposals::groupContextExtensions);
        bind(b, MlsClientRpcs.COMMIT, commits::commit);
        bind(b, MlsClientRpcs.HANDLE_COMMIT, commits::handleCommit);
        bind(b, MlsClientRpcs.HANDLE_PENDING_COMMIT, commits::handlePendingCommit);
        bind(b, MlsClientRpcs.RE_INIT_PROPOSAL, proposals::reInit);
        bind(b, MlsClientRpcs.RE_INIT_COMMIT, resumption::reInitCommit);
        bind(b, MlsClientRpcs.HANDLE_PENDING_RE_INIT_COMMIT, resumption::handlePendingReInitCommit);
        bind(b, MlsClientRpcs.HANDLE_RE_INIT_COMMIT, resumption::handleReInitCommit);
        bind(b, MlsClientRpcs.RE_INIT_WELCOME, resumption::reInitWelcome);
        bind(b, MlsClientRpcs.HANDLE_RE_INIT_WELCOME, resumption::handleReInitWelcome);
        bind(b, MlsClientRpcs.CREATE_BRANCH, resumption::createBranch);
        bind(b, MlsClientRpcs.HANDLE_BRANCH, resumption::handleBranch);
        bind(b, MlsClientRpcs.NEW_MEMBER_ADD_PROPOSAL, external::newMemberAddProposal);
        bind(b, MlsClientRpcs.CREATE_EXTERNAL_SIGNER, external::createExternalSigner);
        bind(b, MlsClientRpcs.ADD_EXTERNAL_SIGNER, external::addExternalSigner);
        bind(b, MlsClientRpcs.EXTERNAL_SIGNER_PROPOSAL, external::externalSignerProposal);
        bind(b, MlsClientRpcs.FREE, membership::free);
        return b.build();
    }

    private <Q extends Message, R extends Message> void bind(ServerServiceDefinition.Builder b, Rpc<Q, R> rpc,
            Operation<Q, R> op) {
        b.addMethod(rpc.descriptor(), ServerCalls.asyncUnaryCall((request, response) -> {
            R result;
            try {
                result = call(rpc.name(), op, request);
            } catch (RpcFailure f) {
                response.onError(Status.fromCode(f.code()).withDescription(rpc.name() + ": " + f.getMessage())
                        .asRuntimeException());
                return;
            }
            response.onNext(result);
            response.onCompleted();
        }));
    }

    /** Runs one operation under the lock and maps what it throws to a status. */
    private <Q, R> R call(String name, Operation<Q, R> op, Q request) throws RpcFailure {
        try {
            synchronized (lock) {
                return op.apply(request);
            }
        } catch (RpcFailure f) {
            throw f;
        } catch (MlsException | IllegalArgumentException e) {
            throw RpcFailure.invalid(e.getMessage());
        } catch (IllegalStateException e) {
            throw RpcFailure.precondition(e.getMessage());
        } catch (Exception e) {
            LOG.warn("rpc={} failed with an unexpected {}", name, e.getClass().getName(), e);
            throw new RpcFailure(Status.Code.INTERNAL, "unexpected " + e.getClass().getSimpleName());
        }
    }
}
