package org.mlsbridge.interop;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.interop.proto.CommitRequest;
import org.mlsbridge.interop.proto.CommitResponse;
import org.mlsbridge.interop.proto.CreateBranchRequest;
import org.mlsbridge.interop.proto.CreateSubgroupResponse;
import org.mlsbridge.interop.proto.HandleBranchRequest;
import org.mlsbridge.interop.proto.HandleBranchResponse;
import org.mlsbridge.interop.proto.HandleCommitRequest;
import org.mlsbridge.interop.proto.HandlePendingCommitRequest;
import org.mlsbridge.interop.proto.HandleReInitCommitResponse;
import org.mlsbridge.interop.proto.HandleReInitWelcomeRequest;
import org.mlsbridge.interop.proto.JoinGroupResponse;
import org.mlsbridge.interop.proto.ReInitWelcomeRequest;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ResumedGroup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.Proposal;

/**
 * ReInit (RFC 9420 §11.2) and branching (§11.3). A ReInit runs in steps: the commit carrying
 * the ReInit is merged, each member then holds a ReInit handle with a KeyPackage of the new
 * cipher suite; one member (the welcomer) creates the new group from the others' KeyPackages
 * and the rest join it from its Welcome, proving membership of the old group with its
 * resumption PSK. A branch creates the new group directly from a member's current epoch.
 */
final class Resumption {
    private final ClientState client;
    private final Commits commits;

    Resumption(ClientState client, Commits commits) {
        this.client = client;
        this.commits = commits;
    }

    CommitResponse reInitCommit(CommitRequest r) throws MlsException, RpcFailure {
        return commits.commit(r);
    }

    HandleReInitCommitResponse handlePendingReInitCommit(HandlePendingCommitRequest r) throws MlsException,
            RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        return afterReInit(h, commits.mergePending(h));
    }

    HandleReInitCommitResponse handleReInitCommit(HandleCommitRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        return afterReInit(h, commits.handle(h, r.getProposalList(), r.getCommit()));
    }

    /** The member's KeyPackage for the new group: same identity, the ReInit's cipher suite. */
    private HandleReInitCommitResponse afterReInit(GroupHandle h, StagedCommit merged) throws MlsException,
            RpcFailure {
        Proposal.ReInit reInit = h.group().state().pendingReInit().orElseThrow(() -> RpcFailure.precondition(
                "the commit carried no ReInit proposal"));
        if (!(h.identity().credential() instanceof Credential.BasicCredential basic)) {
            throw RpcFailure.precondition("this member has no basic credential");
        }
        KeyPackageHandle next = client.newKeyPackage(reInit.cipherSuite(), basic.identity(), h.psks());
        int id = client.handles().add(new ReInitHandle(h, next));
        return HandleReInitCommitResponse.newBuilder().setReinitId(id)
                .setKeyPackage(Wire.message(next.bundle().keyPackage()))
                .setEpochAuthenticator(merged.epochAuthenticator().map(Wire::bytes).orElse(ByteString.EMPTY))
                .build();
    }

    CreateSubgroupResponse reInitWelcome(ReInitWelcomeRequest r) throws MlsException, RpcFailure {
        ReInitHandle ri = reInit(r.getReinitId());
        MlsGroup old = ri.old().group();
        ResumedGroup created = old.reinitialize(ri.next().identity(), keyPackages(r.getKeyPackageList()),
                old.config(), firstCommit(r.getForcePath(), r.getExternalTree()));
        client.handles().remove(r.getReinitId());
        int id = client.handles().add(new GroupHandle(created.group(), ri.next().identity(), ri.old().psks()));
        return subgroup(id, created, r.getExternalTree());
    }

    JoinGroupResponse handleReInitWelcome(HandleReInitWelcomeRequest r) throws MlsException, RpcFailure {
        ReInitHandle ri = reInit(r.getReinitId());
        MlsGroup old = ri.old().group();
        MlsGroup joined = MlsGroup.joinReInit(Wire.welcome(r.getWelcome(), "welcome"), ri.next().joinKeys(),
                Wire.tree(r.getRatchetTree(), "ratchet_tree"), old, old.config(), ri.old().psks());
        client.handles().remove(r.getReinitId());
        int id = client.handles().add(new GroupHandle(joined, ri.next().identity(), ri.old().psks()));
        return JoinGroupResponse.newBuilder().setStateId(id)
                .setEpochAuthenticator(Wire.bytes(joined.epochAuthenticator())).build();
    }

    CreateSubgroupResponse createBranch(CreateBranchRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        if (r.getGroupId().isEmpty()) {
            throw RpcFailure.invalid("group_id is empty");
        }
        ResumedGroup created = h.group().branch(h.identity(), Wire.bytes(r.getGroupId()),
                Wire.extensions(r.getExtensionsList(), "extensions"), keyPackages(r.getKeyPackagesList()),
                firstCommit(r.getForcePath(), r.getExternalTree()));
        int id = client.handles().add(new GroupHandle(created.group(), h.identity(), h.psks()));
        return subgroup(id, created, r.getExternalTree());
    }

    HandleBranchResponse handleBranch(HandleBranchRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        KeyPackageHandle kp = client.keyPackage(r.getTransactionId());
        MlsGroup joined = MlsGroup.joinBranch(Wire.welcome(r.getWelcome(), "welcome"), kp.joinKeys(),
                Wire.tree(r.getRatchetTree(), "ratchet_tree"), h.group(), h.group().config(), h.psks());
        client.handles().remove(r.getTransactionId());
        int id = client.handles().add(new GroupHandle(joined, kp.identity(), h.psks()));
        return HandleBranchResponse.newBuilder().setStateId(id)
                .setEpochAuthenticator(Wire.bytes(joined.epochAuthenticator())).build();
    }

    private ReInitHandle reInit(int id) throws RpcFailure {
        return client.handles().get(id, ReInitHandle.class, "ReInit");
    }

    private static CommitOptions firstCommit(boolean forcePath, boolean externalTree) {
        return CommitOptions.empty().withPath(forcePath).withRatchetTreeInGroupInfo(!externalTree);
    }

    private static List<KeyPackage> keyPackages(List<ByteString> encoded) throws RpcFailure {
        List<KeyPackage> out = new ArrayList<>(encoded.size());
        for (ByteString kp : encoded) {
            out.add(Wire.keyPackage(kp, "key_package"));
        }
        return out;
    }

    private static CreateSubgroupResponse subgroup(int id, ResumedGroup created, boolean externalTree) {
        CreateSubgroupResponse.Builder out = CreateSubgroupResponse.newBuilder().setStateId(id)
                .setEpochAuthenticator(Wire.bytes(created.group().epochAuthenticator()));
        created.welcome().ifPresent(w -> out.setWelcome(Wire.message(w)));
        if (externalTree) {
            out.setRatchetTree(Wire.tree(created.group().state().tree()));
        }
        return out.build();
    }
}
