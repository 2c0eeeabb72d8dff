package org.mlsbridge.interop.rpc;

import java.util.List;
import org.mlsbridge.interop.proto.AddExternalSignerRequest;
import org.mlsbridge.interop.proto.AddProposalRequest;
import org.mlsbridge.interop.proto.CommitRequest;
import org.mlsbridge.interop.proto.CommitResponse;
import org.mlsbridge.interop.proto.CreateBranchRequest;
import org.mlsbridge.interop.proto.CreateExternalSignerRequest;
import org.mlsbridge.interop.proto.CreateExternalSignerResponse;
import org.mlsbridge.interop.proto.CreateGroupRequest;
import org.mlsbridge.interop.proto.CreateGroupResponse;
import org.mlsbridge.interop.proto.CreateKeyPackageRequest;
import org.mlsbridge.interop.proto.CreateKeyPackageResponse;
import org.mlsbridge.interop.proto.CreateSubgroupResponse;
import org.mlsbridge.interop.proto.ExportRequest;
import org.mlsbridge.interop.proto.ExportResponse;
import org.mlsbridge.interop.proto.ExternalJoinRequest;
import org.mlsbridge.interop.proto.ExternalJoinResponse;
import org.mlsbridge.interop.proto.ExternalPSKProposalRequest;
import org.mlsbridge.interop.proto.ExternalSignerProposalRequest;
import org.mlsbridge.interop.proto.FreeRequest;
import org.mlsbridge.interop.proto.FreeResponse;
import org.mlsbridge.interop.proto.GroupContextExtensionsProposalRequest;
import org.mlsbridge.interop.proto.GroupInfoRequest;
import org.mlsbridge.interop.proto.GroupInfoResponse;
import org.mlsbridge.interop.proto.HandleBranchRequest;
import org.mlsbridge.interop.proto.HandleBranchResponse;
import org.mlsbridge.interop.proto.HandleCommitRequest;
import org.mlsbridge.interop.proto.HandleCommitResponse;
import org.mlsbridge.interop.proto.HandlePendingCommitRequest;
import org.mlsbridge.interop.proto.HandleReInitCommitResponse;
import org.mlsbridge.interop.proto.HandleReInitWelcomeRequest;
import org.mlsbridge.interop.proto.JoinGroupRequest;
import org.mlsbridge.interop.proto.JoinGroupResponse;
import org.mlsbridge.interop.proto.NameRequest;
import org.mlsbridge.interop.proto.NameResponse;
import org.mlsbridge.interop.proto.NewMemberAddProposalRequest;
import org.mlsbridge.interop.proto.NewMemberAddProposalResponse;
import org.mlsbridge.interop.proto.ProposalResponse;
import org.mlsbridge.interop.proto.ProtectRequest;
import org.mlsbridge.interop.proto.ProtectResponse;
import org.mlsbridge.interop.proto.ReInitProposalRequest;
import org.mlsbridge.interop.proto.ReInitWelcomeRequest;
import org.mlsbridge.interop.proto.RemoveProposalRequest;
import org.mlsbridge.interop.proto.ResumptionPSKProposalRequest;
import org.mlsbridge.interop.proto.StateAuthRequest;
import org.mlsbridge.interop.proto.StateAuthResponse;
import org.mlsbridge.interop.proto.StorePSKRequest;
import org.mlsbridge.interop.proto.StorePSKResponse;
import org.mlsbridge.interop.proto.SupportedCiphersuitesRequest;
import org.mlsbridge.interop.proto.SupportedCiphersuitesResponse;
import org.mlsbridge.interop.proto.UnprotectRequest;
import org.mlsbridge.interop.proto.UnprotectResponse;
import org.mlsbridge.interop.proto.UpdateProposalRequest;

/**
 * The methods of the working group's MLSClient service ({@code mls_client.MLSClient}), bound
 * with grpc-java's own API rather than generated stubs, so that the build needs only protoc.
 * {@code MlsClientRpcsTest} checks this table against the service in mls_client.proto.
 */
public final class MlsClientRpcs {
    public static final String SERVICE = "mls_client.MLSClient";

    public static final Rpc<NameRequest, NameResponse> NAME =
            new Rpc<>("Name", NameRequest.getDefaultInstance(), NameResponse.getDefaultInstance());
    public static final Rpc<SupportedCiphersuitesRequest, SupportedCiphersuitesResponse> SUPPORTED_CIPHERSUITES =
            new Rpc<>("SupportedCiphersuites", SupportedCiphersuitesRequest.getDefaultInstance(), SupportedCiphersuitesResponse.getDefaultInstance());
    public static final Rpc<CreateGroupRequest, CreateGroupResponse> CREATE_GROUP =
            new Rpc<>("CreateGroup", CreateGroupRequest.getDefaultInstance(), CreateGroupResponse.getDefaultInstance());
    public static final Rpc<CreateKeyPackageRequest, CreateKeyPackageResponse> CREATE_KEY_PACKAGE =
            new Rpc<>("CreateKeyPackage", CreateKeyPackageRequest.getDefaultInstance(), CreateKeyPackageResponse.getDefaultInstance());
    public static final Rpc<JoinGroupRequest, JoinGroupResponse> JOIN_GROUP =
            new Rpc<>("JoinGroup", JoinGroupRequest.getDefaultInstance(), JoinGroupResponse.getDefaultInstance());
    public static final Rpc<ExternalJoinRequest, ExternalJoinResponse> EXTERNAL_JOIN =
            new Rpc<>("ExternalJoin", ExternalJoinRequest.getDefaultInstance(), ExternalJoinResponse.getDefaultInstance());
    public static final Rpc<GroupInfoRequest, GroupInfoResponse> GROUP_INFO =
            new Rpc<>("GroupInfo", GroupInfoRequest.getDefaultInstance(), GroupInfoResponse.getDefaultInstance());
    public static final Rpc<StateAuthRequest, StateAuthResponse> STATE_AUTH =
            new Rpc<>("StateAuth", StateAuthRequest.getDefaultInstance(), StateAuthResponse.getDefaultInstance());
    public static final Rpc<ExportRequest, ExportResponse> EXPORT =
            new Rpc<>("Export", ExportRequest.getDefaultInstance(), ExportResponse.getDefaultInstance());
    public static final Rpc<ProtectRequest, ProtectResponse> PROTECT =
            new Rpc<>("Protect", ProtectRequest.getDefaultInstance(), ProtectResponse.getDefaultInstance());
    public static final Rpc<UnprotectRequest, UnprotectResponse> UNPROTECT =
            new Rpc<>("Unprotect", UnprotectRequest.getDefaultInstance(), UnprotectResponse.getDefaultInstance());
    public static final Rpc<StorePSKRequest, StorePSKResponse> STORE_PSK =
            new Rpc<>("StorePSK", StorePSKRequest.getDefaultInstance(), StorePSKResponse.getDefaultInstance());
    public static final Rpc<AddProposalRequest, ProposalResponse> ADD_PROPOSAL =
            new Rpc<>("AddProposal", AddProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<UpdateProposalRequest, ProposalResponse> UPDATE_PROPOSAL =
            new Rpc<>("UpdateProposal", UpdateProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<RemoveProposalRequest, ProposalResponse> REMOVE_PROPOSAL =
            new Rpc<>("RemoveProposal", RemoveProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<ExternalPSKProposalRequest, ProposalResponse> EXTERNAL_PSK_PROPOSAL =
            new Rpc<>("ExternalPSKProposal", ExternalPSKProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<ResumptionPSKProposalRequest, ProposalResponse> RESUMPTION_PSK_PROPOSAL =
            new Rpc<>("ResumptionPSKProposal", ResumptionPSKProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<GroupContextExtensionsProposalRequest, ProposalResponse> GROUP_CONTEXT_EXTENSIONS_PROPOSAL =
            new Rpc<>("GroupContextExtensionsProposal", GroupContextExtensionsProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<CommitRequest, CommitResponse> COMMIT =
            new Rpc<>("Commit", CommitRequest.getDefaultInstance(), CommitResponse.getDefaultInstance());
    public static final Rpc<HandleCommitRequest, HandleCommitResponse> HANDLE_COMMIT =
            new Rpc<>("HandleCommit", HandleCommitRequest.getDefaultInstance(), HandleCommitResponse.getDefaultInstance());
    public static final Rpc<HandlePendingCommitRequest, HandleCommitResponse> HANDLE_PENDING_COMMIT =
            new Rpc<>("HandlePendingCommit", HandlePendingCommitRequest.getDefaultInstance(), HandleCommitResponse.getDefaultInstance());
    public static final Rpc<ReInitProposalRequest, ProposalResponse> RE_INIT_PROPOSAL =
            new Rpc<>("ReInitProposal", ReInitProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<CommitRequest, CommitResponse> RE_INIT_COMMIT =
            new Rpc<>("ReInitCommit", CommitRequest.getDefaultInstance(), CommitResponse.getDefaultInstance());
    public static final Rpc<HandlePendingCommitRequest, HandleReInitCommitResponse> HANDLE_PENDING_RE_INIT_COMMIT =
            new Rpc<>("HandlePendingReInitCommit", HandlePendingCommitRequest.getDefaultInstance(), HandleReInitCommitResponse.getDefaultInstance());
    public static final Rpc<HandleCommitRequest, HandleReInitCommitResponse> HANDLE_RE_INIT_COMMIT =
            new Rpc<>("HandleReInitCommit", HandleCommitRequest.getDefaultInstance(), HandleReInitCommitResponse.getDefaultInstance());
    public static final Rpc<ReInitWelcomeRequest, CreateSubgroupResponse> RE_INIT_WELCOME =
            new Rpc<>("ReInitWelcome", ReInitWelcomeRequest.getDefaultInstance(), CreateSubgroupResponse.getDefaultInstance());
    public static final Rpc<HandleReInitWelcomeRequest, JoinGroupResponse> HANDLE_RE_INIT_WELCOME =
            new Rpc<>("HandleReInitWelcome", HandleReInitWelcomeRequest.getDefaultInstance(), JoinGroupResponse.getDefaultInstance());
    public static final Rpc<CreateBranchRequest, CreateSubgroupResponse> CREATE_BRANCH =
            new Rpc<>("CreateBranch", CreateBranchRequest.getDefaultInstance(), CreateSubgroupResponse.getDefaultInstance());
    public static final Rpc<HandleBranchRequest, HandleBranchResponse> HANDLE_BRANCH =
            new Rpc<>("HandleBranch", HandleBranchRequest.getDefaultInstance(), HandleBranchResponse.getDefaultInstance());
    public static final Rpc<NewMemberAddProposalRequest, NewMemberAddProposalResponse> NEW_MEMBER_ADD_PROPOSAL =
            new Rpc<>("NewMemberAddProposal", NewMemberAddProposalRequest.getDefaultInstance(), NewMemberAddProposalResponse.getDefaultInstance());
    public static final Rpc<CreateExternalSignerRequest, CreateExternalSignerResponse> CREATE_EXTERNAL_SIGNER =
            new Rpc<>("CreateExternalSigner", CreateExternalSignerRequest.getDefaultInstance(), CreateExternalSignerResponse.getDefaultInstance());
    public static final Rpc<AddExternalSignerRequest, ProposalResponse> ADD_EXTERNAL_SIGNER =
            new Rpc<>("AddExternalSigner", AddExternalSignerRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<ExternalSignerProposalRequest, ProposalResponse> EXTERNAL_SIGNER_PROPOSAL =
            new Rpc<>("ExternalSignerProposal", ExternalSignerProposalRequest.getDefaultInstance(), ProposalResponse.getDefaultInstance());
    public static final Rpc<FreeRequest, FreeResponse> FREE =
            new Rpc<>("Free", FreeRequest.getDefaultInstance(), FreeResponse.getDefaultInstance());

    /** Every method, in the order of the proto file. */
    public static final List<Rpc<?, ?>> ALL = List.of(NAME, SUPPORTED_CIPHERSUITES, CREATE_GROUP, CREATE_KEY_PACKAGE,
            JOIN_GROUP, EXTERNAL_JOIN, GROUP_INFO, STATE_AUTH,
            EXPORT, PROTECT, UNPROTECT, STORE_PSK,
            ADD_PROPOSAL, UPDATE_PROPOSAL, REMOVE_PROPOSAL, EXTERNAL_PSK_PROPOSAL,
            RESUMPTION_PSK_PROPOSAL, GROUP_CONTEXT_EXTENSIONS_PROPOSAL, COMMIT, HANDLE_COMMIT,
            HANDLE_PENDING_COMMIT, RE_INIT_PROPOSAL, RE_INIT_COMMIT, HANDLE_PENDING_RE_INIT_COMMIT,
            HANDLE_RE_INIT_COMMIT, RE_INIT_WELCOME, HANDLE_RE_INIT_WELCOME, CREATE_BRANCH,
            HANDLE_BRANCH, NEW_MEMBER_ADD_PROPOSAL, CREATE_EXTERNAL_SIGNER, ADD_EXTERNAL_SIGNER,
            EXTERNAL_SIGNER_PROPOSAL, FREE);

    private MlsClientRpcs() {
    }
}
