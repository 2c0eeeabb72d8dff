package org.mlsbridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.mlsbridge.interop.proto.AddExternalSignerRequest;
import org.mlsbridge.interop.proto.AddProposalRequest;
import org.mlsbridge.interop.proto.CommitRequest;
import org.mlsbridge.interop.proto.CommitResponse;
import org.mlsbridge.interop.proto.CreateBranchRequest;
import org.mlsbridge.interop.proto.CreateExternalSignerRequest;
import org.mlsbridge.interop.proto.CreateGroupRequest;
import org.mlsbridge.interop.proto.CreateKeyPackageRequest;
import org.mlsbridge.interop.proto.CreateKeyPackageResponse;
import org.mlsbridge.interop.proto.CreateSubgroupResponse;
import org.mlsbridge.interop.proto.ExternalJoinRequest;
import org.mlsbridge.interop.proto.ExternalJoinResponse;
import org.mlsbridge.interop.proto.ExternalPSKProposalRequest;
import org.mlsbridge.interop.proto.ExternalSignerProposalRequest;
import org.mlsbridge.interop.proto.FreeRequest;
import org.mlsbridge.interop.proto.GroupContextExtensionsProposalRequest;
import org.mlsbridge.interop.proto.GroupInfoRequest;
import org.mlsbridge.interop.proto.GroupInfoResponse;
import org.mlsbridge.interop.proto.HandleBranchRequest;
import org.mlsbridge.interop.proto.HandleCommitRequest;
import org.mlsbridge.interop.proto.HandleCommitResponse;
import org.mlsbridge.interop.proto.HandlePendingCommitRequest;
import org.mlsbridge.interop.proto.HandleReInitCommitResponse;
import org.mlsbridge.interop.proto.HandleReInitWelcomeRequest;
import org.mlsbridge.interop.proto.JoinGroupRequest;
import org.mlsbridge.interop.proto.JoinGroupResponse;
import org.mlsbridge.interop.proto.NewMemberAddProposalRequest;
import org.mlsbridge.interop.proto.NewMemberAddProposalResponse;
import org.mlsbridge.interop.proto.PreSharedKey;
import org.mlsbridge.interop.proto.ProposalDescription;
import org.mlsbridge.interop.proto.ProtectRequest;
import org.mlsbridge.interop.proto.ReInitProposalRequest;
import org.mlsbridge.interop.proto.ReInitWelcomeRequest;
import org.mlsbridge.interop.proto.RemoveProposalRequest;
import org.mlsbridge.interop.proto.ResumptionPSKProposalRequest;
import org.mlsbridge.interop.proto.StorePSKRequest;
import org.mlsbridge.interop.proto.UnprotectRequest;
import org.mlsbridge.interop.proto.UnprotectResponse;
import org.mlsbridge.interop.proto.UpdateProposalRequest;
import org.mlsbridge.interop.rpc.MlsClientRpcs;

/**
 * Runs one script for one cipher suite, one handshake mode and one assignment of clients to
 * actors, sequencing the RPCs as the working group's test runner does (interop/test-runner in
 * mlswg/mls-implementations): results of each step are kept under the step's index for later
 * steps, members must agree on the epoch authenticator after every commit, join, ReInit and
 * branch, and unprotected messages must match what was protected. On top of that, after every
 * step that moves a set of actors into a new epoch, {@link GroupStateCheck} runs the harness's
 * "verify group state" subroutine over them.
 */
final class ScenarioRun {
    private final Map<String, HarnessClient> clients;
    private final boolean encrypt;
    private final SecureRandom random = new SecureRandom();
    private int suite;
    private final Map<String, Integer> stateId = new LinkedHashMap<>();
    private final Map<String, Integer> transactionId = new HashMap<>();
    private final Map<String, Integer> signerId = new HashMap<>();
    private final List<Map<String, ByteString>> cache = new ArrayList<>();
    private int checks;

    ScenarioRun(Map<String, HarnessClient> clients, int suite, boolean encrypt) {
        this.clients = Map.copyOf(clients);
        this.suite = suite;
        this.encrypt = encrypt;
    }

    /** Runs every step, then frees every state; a failure names the step. Returns the group-state checks made. */
    int run(List<ScenarioConfig.Step> steps) {
        steps.forEach(s -> cache.add(new HashMap<>()));
        try {
            for (ScenarioConfig.Step step : steps) {
                try {
                    runStep(step);
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError("suite " + suite + (encrypt ? " private" : " public") + " handshakes, "
                            + step + " failed: " + e.getMessage(), e);
                }
            }
        } finally {
            stateId.forEach((actor, id) -> client(actor).call(MlsClientRpcs.FREE,
                    FreeRequest.newBuilder().setStateId(id).build()));
        }
        return checks;
    }

    private HarnessClient client(String actor) {
        HarnessClient c = clients.get(actor);
        if (c == null) {
            throw new AssertionError("no client for actor " + actor);
        }
        return c;
    }

    private void store(int index, String key, ByteString value) {
        cache.get(index).put(key, value);
    }

    private ByteString get(int index, String key) {
        if (index < 0 || index >= cache.size() || !cache.get(index).containsKey(key)) {
            throw new AssertionError("no " + key + " at step " + index);
        }
        return cache.get(index).get(key);
    }

    private int state(String actor) {
        Integer id = stateId.get(actor);
        if (id == null) {
            throw new AssertionError("actor " + actor + " has no state");
        }
        return id;
    }

    private void runStep(ScenarioConfig.Step step) {
        JsonNode p = step.params();
        String actor = step.actor();
        int i = step.index();
        switch (step.action()) {
            case "createGroup" -> createGroup(i, actor, Params.strings(p, "members"));
            case "createKeyPackage" -> {
                CreateKeyPackageResponse r = keyPackage(actor);
                transactionId.put(actor, r.getTransactionId());
                store(i, "key_package", r.getKeyPackage());
            }
            case "joinGroup" -> {
                Integer tx = transactionId.get(actor);
                if (tx == null) {
                    throw new AssertionError("no transaction for " + actor);
                }
                JoinGroupResponse r = client(actor).call(MlsClientRpcs.JOIN_GROUP, JoinGroupRequest.newBuilder()
                        .setTransactionId(tx).setWelcome(get(Params.integer(p, "welcome"), "welcome"))
                        .setEncryptHandshake(encrypt).setIdentity(utf8(actor)).build());
                stateId.put(actor, r.getStateId());
            }
            case "externalJoin" -> externalJoin(i, actor, p);
            case "installExternalPSK" -> installExternalPsk(i, Params.strings(p, "clients"));
            case "groupInfo" -> {
                GroupInfoResponse r = client(actor).call(MlsClientRpcs.GROUP_INFO, GroupInfoRequest.newBuilder()
                        .setStateId(state(actor)).setExternalTree(Params.flag(p, "externalTree")).build());
                store(i, "group_info", r.getGroupInfo());
                store(i, "ratchet_tree", r.getRatchetTree());
            }
            case "addProposal" -> store(i, "proposal", client(actor).call(MlsClientRpcs.ADD_PROPOSAL,
                    AddProposalRequest.newBuilder().setStateId(state(actor))
                            .setKeyPackage(get(Params.integer(p, "keyPackage"), "key_package")).build()).getProposal());
            case "updateProposal" -> store(i, "proposal", client(actor).call(MlsClientRpcs.UPDATE_PROPOSAL,
                    UpdateProposalRequest.newBuilder().setStateId(state(actor)).build()).getProposal());
            case "removeProposal" -> store(i, "proposal", client(actor).call(MlsClientRpcs.REMOVE_PROPOSAL,
                    RemoveProposalRequest.newBuilder().setStateId(state(actor))
                            .setRemovedId(utf8(Params.string(p, "removed"))).build()).getProposal());
            case "externalPSKProposal" -> store(i, "proposal", client(actor).call(MlsClientRpcs.EXTERNAL_PSK_PROPOSAL,
                    ExternalPSKProposalRequest.newBuilder().setStateId(state(actor))
                            .setPskId(get(Params.integer(p, "pskID"), "psk_id")).build()).getProposal());
            case "resumptionPSKProposal" -> store(i, "proposal", client(actor).call(
                    MlsClientRpcs.RESUMPTION_PSK_PROPOSAL, ResumptionPSKProposalRequest.newBuilder()
                            .setStateId(state(actor)).setEpochId(Params.integer(p, "epochID")).build()).getProposal());
            case "groupContextExtensionsProposal" -> store(i, "proposal", client(actor).call(
                    MlsClientRpcs.GROUP_CONTEXT_EXTENSIONS_PROPOSAL, GroupContextExtensionsProposalRequest.newBuilder()
                            .setStateId(state(actor)).addAllExtensions(Params.extensions(p)).build()).getProposal());
            case "fullCommit" -> fullCommit(i, actor, p);
            case "commit" -> {
                boolean externalTree = Params.flag(p, "external_tree", "externalTree");
                CommitResponse r = client(actor).call(MlsClientRpcs.COMMIT, commitRequest(actor, p));
                store(i, "commit", r.getCommit());
                store(i, "welcome", r.getWelcome());
                if (externalTree) {
                    store(i, "ratchet_tree", r.getRatchetTree());
                }
            }
            case "handleCommit" -> {
                HandleCommitResponse r = client(actor).call(MlsClientRpcs.HANDLE_COMMIT, HandleCommitRequest
                        .newBuilder().setStateId(state(actor)).addAllProposal(byReference(p))
                        .setCommit(get(Params.integer(p, "commit"), "commit")).build());
                stateId.put(actor, r.getStateId());
            }
            case "handlePendingCommit" -> stateId.put(actor, client(actor).call(MlsClientRpcs.HANDLE_PENDING_COMMIT,
                    HandlePendingCommitRequest.newBuilder().setStateId(state(actor)).build()).getStateId());
            case "protect" -> {
                ByteString aad = utf8(Params.string(p, "authenticatedData"));
                ByteString plaintext = utf8(Params.string(p, "plaintext"));
                ByteString ct = client(actor).call(MlsClientRpcs.PROTECT, ProtectRequest.newBuilder()
                        .setStateId(state(actor)).setAuthenticatedData(aad).setPlaintext(plaintext).build())
                        .getCiphertext();
                store(i, "authenticatedData", aad);
                store(i, "plaintext", plaintext);
                store(i, "ciphertext", ct);
            }
            case "unprotect" -> {
                int from = Params.integer(p, "ciphertext");
                UnprotectResponse r = client(actor).call(MlsClientRpcs.UNPROTECT, UnprotectRequest.newBuilder()
                        .setStateId(state(actor)).setCiphertext(get(from, "ciphertext")).build());
                expect(get(from, "authenticatedData").equals(r.getAuthenticatedData()), "Incorrect authenticated data");
                expect(get(from, "plaintext").equals(r.getPlaintext()), "Incorrect plaintext");
                store(i, "authenticatedData", r.getAuthenticatedData());
                store(i, "plaintext", r.getPlaintext());
            }
            case "reinit" -> reInit(i, p);
            case "branch" -> branch(i, actor, p);
            case "newMemberAddProposal" -> {
                String joiner = Params.string(p, "joiner");
                ByteString info = client(actor).call(MlsClientRpcs.GROUP_INFO, GroupInfoRequest.newBuilder()
                        .setStateId(state(actor)).build()).getGroupInfo();
                NewMemberAddProposalResponse r = client(joiner).call(MlsClientRpcs.NEW_MEMBER_ADD_PROPOSAL,
                        NewMemberAddProposalRequest.newBuilder().setGroupInfo(info).setIdentity(utf8(joiner)).build());
                transactionId.put(joiner, r.getTransactionId());
                store(i, "proposal", r.getProposal());
            }
            case "addExternalSigner" -> {
                String signer = Params.string(p, "signer");
                var created = client(signer).call(MlsClientRpcs.CREATE_EXTERNAL_SIGNER, CreateExternalSignerRequest
                        .newBuilder().setCipherSuite(suite).setIdentity(utf8(signer)).build());
                signerId.put(signer, created.getSignerId());
                store(i, "proposal", client(actor).call(MlsClientRpcs.ADD_EXTERNAL_SIGNER, AddExternalSignerRequest
                        .newBuilder().setStateId(state(actor)).setExternalSender(created.getExternalSender()).build())
                        .getProposal());
            }
            case "externalSignerProposal" -> {
                String member = Params.string(p, "member");
                GroupInfoResponse info = client(member).call(MlsClientRpcs.GROUP_INFO, GroupInfoRequest.newBuilder()
                        .setStateId(state(member)).setExternalTree(true).build());
                Integer signer = signerId.get(actor);
                if (signer == null) {
                    throw new AssertionError("actor " + actor + " is no external signer");
                }
                store(i, "proposal", client(actor).call(MlsClientRpcs.EXTERNAL_SIGNER_PROPOSAL,
                        ExternalSignerProposalRequest.newBuilder().setSignerId(signer)
                                .setGroupInfo(info.getGroupInfo()).setRatchetTree(info.getRatchetTree())
                                .setDescription(description(Params.field(p, "description"))).build()).getProposal());
            }
            default -> throw new AssertionError("Unknown action: " + step.action());
        }
    }

    private void createGroup(int i, String actor, List<String> members) {
        ByteString groupId = utf8(UUID.randomUUID().toString());
        stateId.put(actor, client(actor).call(MlsClientRpcs.CREATE_GROUP, CreateGroupRequest.newBuilder()
                .setGroupId(groupId).setCipherSuite(suite).setEncryptHandshake(encrypt).setIdentity(utf8(actor))
                .build()).getStateId());
        store(i, "group_id", groupId);
        if (members.isEmpty()) {
            return;
        }
        List<Integer> txs = new ArrayList<>();
        CommitRequest.Builder commit = CommitRequest.newBuilder().setStateId(state(actor));
        for (String m : members) {
            CreateKeyPackageResponse kp = keyPackage(m);
            txs.add(kp.getTransactionId());
            commit.addByValue(ProposalDescription.newBuilder().setProposalType(utf8("add"))
                    .setKeyPackage(kp.getKeyPackage()));
        }
        ByteString welcome = client(actor).call(MlsClientRpcs.COMMIT, commit.build()).getWelcome();
        HandleCommitResponse own = client(actor).call(MlsClientRpcs.HANDLE_PENDING_COMMIT,
                HandlePendingCommitRequest.newBuilder().setStateId(state(actor)).build());
        stateId.put(actor, own.getStateId());
        for (int k = 0; k < members.size(); k++) {
            String m = members.get(k);
            JoinGroupResponse r = client(m).call(MlsClientRpcs.JOIN_GROUP, JoinGroupRequest.newBuilder()
                    .setTransactionId(txs.get(k)).setWelcome(welcome).setEncryptHandshake(encrypt)
                    .setIdentity(utf8(m)).build());
            expect(r.getEpochAuthenticator().equals(own.getEpochAuthenticator()),
                    "Joiner [" + m + "] failed to agree on epoch authenticator");
            stateId.put(m, r.getStateId());
        }
        verify(i, actor, members);
    }

    private CreateKeyPackageResponse keyPackage(String actor) {
        return client(actor).call(MlsClientRpcs.CREATE_KEY_PACKAGE, CreateKeyPackageRequest.newBuilder()
                .setCipherSuite(suite).setIdentity(utf8(actor)).build());
    }

    private void externalJoin(int i, String actor, JsonNode p) {
        String joiner = Params.string(p, "joiner");
        GroupInfoResponse info = client(actor).call(MlsClientRpcs.GROUP_INFO, GroupInfoRequest.newBuilder()
                .setStateId(state(actor)).setExternalTree(Params.flag(p, "externalTree")).build());
        store(i, "group_info", info.getGroupInfo());
        store(i, "ratchet_tree", info.getRatchetTree());
        ExternalJoinRequest.Builder req = ExternalJoinRequest.newBuilder().setGroupInfo(info.getGroupInfo())
                .setRatchetTree(info.getRatchetTree()).setEncryptHandshake(encrypt).setIdentity(utf8(joiner))
                .setRemovePrior(Params.flag(p, "removePrior"));
        for (int psk : Params.integers(p, "psks")) {
            req.addPsks(PreSharedKey.newBuilder().setPskId(get(psk, "psk_id")).setPskSecret(get(psk, "psk_secret")));
        }
        ExternalJoinResponse joined = client(joiner).call(MlsClientRpcs.EXTERNAL_JOIN, req.build());
        stateId.put(joiner, joined.getStateId());
        store(i, "commit", joined.getCommit());
        store(i, "epoch_authenticator", joined.getEpochAuthenticator());
        List<String> members = new ArrayList<>(Params.strings(p, "members"));
        members.add(actor);
        for (String m : members) {
            HandleCommitResponse r = client(m).call(MlsClientRpcs.HANDLE_COMMIT, HandleCommitRequest.newBuilder()
                    .setStateId(state(m)).setCommit(joined.getCommit()).build());
            expect(r.getEpochAuthenticator().equals(joined.getEpochAuthenticator()),
                    "Member [" + m + "] failed to agree on epoch authenticator");
            stateId.put(m, r.getStateId());
        }
        verify(i, joiner, members);
    }

    private void installExternalPsk(int i, List<String> targets) {
        ByteString pskId = randomBytes(32);
        ByteString secret = randomBytes(32);
        store(i, "psk_id", pskId);
        store(i, "psk_secret", secret);
        for (String name : targets) {
            int id = stateId.containsKey(name) ? stateId.get(name) : transactionId.getOrDefault(name, 0);
            client(name).call(MlsClientRpcs.STORE_PSK, StorePSKRequest.newBuilder().setStateOrTransactionId(id)
                    .setPskId(pskId).setPskSecret(secret).build());
        }
    }

    private CommitRequest commitRequest(String actor, JsonNode p) {
        CommitRequest.Builder req = CommitRequest.newBuilder().setStateId(state(actor)).addAllByReference(byReference(p))
                .setForcePath(Params.flag(p, "force_path", "forcePath"))
                .setExternalTree(Params.flag(p, "external_tree", "externalTree"));
        JsonNode byValue = Params.field(p, "byValue");
        if (byValue != null) {
            byValue.forEach(d -> req.addByValue(description(d)));
        }
        return req.build();
    }

    private List<ByteString> byReference(JsonNode p) {
        List<ByteString> out = new ArrayList<>();
        for (int ref : Params.integers(p, "byReference")) {
            out.add(get(ref, "proposal"));
        }
        return out;
    }

    private ProposalDescription description(JsonNode d) {
        if (d == null) {
            throw new AssertionError("missing proposal description");
        }
        String type = Params.string(d, "proposalType");
        ProposalDescription.Builder b = ProposalDescription.newBuilder().setProposalType(utf8(type));
        switch (type) {
            case "add" -> b.setKeyPackage(get(Params.integer(d, "keyPackage"), "key_package"));
            case "remove" -> b.setRemovedId(utf8(Params.string(d, "removed")));
            case "externalPSK" -> b.setPskId(get(Params.integer(d, "pskID"), "psk_id"));
            case "resumptionPSK" -> b.setEpochId(Params.integer(d, "epochID"));
            case "groupContextExtensions" -> b.addAllExtensions(Params.extensions(d));
            case "reinit" -> {
                b.addAllExtensions(Params.extensions(d));
                if (Params.flag(d, "changeCipherSuite")) {
                    changeCipherSuite();
                }
                b.setCipherSuite(suite).setGroupId(newGroupId(Params.flag(d, "changeGroupID")));
            }
            default -> throw new AssertionError("unknown proposal type [" + type + "]");
        }
        return b.build();
    }

    private void fullCommit(int i, String actor, JsonNode p) {
        boolean externalTree = Params.flag(p, "external_tree", "externalTree");
        CommitRequest req = commitRequest(actor, p);
        CommitResponse commit = client(actor).call(MlsClientRpcs.COMMIT, req);
        store(i, "welcome", commit.getWelcome());
        store(i, "commit", commit.getCommit());
        if (externalTree) {
            store(i, "ratchet_tree", commit.getRatchetTree());
        }
        HandleCommitResponse own = client(actor).call(MlsClientRpcs.HANDLE_PENDING_COMMIT,
                HandlePendingCommitRequest.newBuilder().setStateId(state(actor)).build());
        stateId.put(actor, own.getStateId());
        store(i, "epoch_authenticator", own.getEpochAuthenticator());
        List<String> members = Params.strings(p, "members");
        for (String m : members) {
            HandleCommitResponse r = client(m).call(MlsClientRpcs.HANDLE_COMMIT, HandleCommitRequest.newBuilder()
                    .setStateId(state(m)).addAllProposal(req.getByReferenceList()).setCommit(commit.getCommit())
                    .build());
            expect(r.getEpochAuthenticator().equals(own.getEpochAuthenticator()),
                    "Member [" + m + "] failed to agree on epoch authenticator");
            stateId.put(m, r.getStateId());
        }
        List<String> joiners = Params.strings(p, "joiners");
        for (String j : joiners) {
            Integer tx = transactionId.get(j);
            if (tx == null) {
                throw new AssertionError("Malformed step: No transaction for " + j);
            }
            JoinGroupRequest.Builder join = JoinGroupRequest.newBuilder().setTransactionId(tx)
                    .setWelcome(commit.getWelcome()).setEncryptHandshake(encrypt).setIdentity(utf8(j));
            if (externalTree) {
                join.setRatchetTree(commit.getRatchetTree());
            }
            JoinGroupResponse r = client(j).call(MlsClientRpcs.JOIN_GROUP, join.build());
            expect(r.getEpochAuthenticator().equals(own.getEpochAuthenticator()),
                    "Joiner [" + j + "] failed to agree on epoch authenticator");
            stateId.put(j, r.getStateId());
        }
        List<String> others = new ArrayList<>(members);
        others.addAll(joiners);
        verify(i, actor, others);
    }

    private void reInit(int i, JsonNode p) {
        String proposer = Params.string(p, "proposer");
        String committer = Params.string(p, "committer");
        String welcomer = Params.string(p, "welcomer");
        List<String> members = Params.strings(p, "members");
        Set<String> notCommitter = new TreeSet<>(members);
        notCommitter.add(welcomer);
        Set<String> notWelcomer = new TreeSet<>(members);
        notWelcomer.add(committer);
        if (!proposer.isEmpty()) {
            notCommitter.add(proposer);
            notWelcomer.add(proposer);
        }
        notCommitter.remove(committer);
        notWelcomer.remove(welcomer);

        ByteString newGroupId = newGroupId(Params.flag(p, "changeGroupID"));
        if (Params.flag(p, "changeCipherSuite")) {
            changeCipherSuite();
        }
        ByteString proposal;
        if (!proposer.isEmpty()) {
            proposal = client(proposer).call(MlsClientRpcs.RE_INIT_PROPOSAL, ReInitProposalRequest.newBuilder()
                    .setStateId(state(proposer)).setCipherSuite(suite).setGroupId(newGroupId)
                    .addAllExtensions(Params.extensions(p)).build()).getProposal();
        } else {
            proposal = get(Params.integer(p, "externalReinitProposal"), "proposal");
        }

        Map<String, Integer> reinitIds = new HashMap<>();
        Map<String, ByteString> keyPackages = new HashMap<>();
        ByteString commit = client(committer).call(MlsClientRpcs.RE_INIT_COMMIT, CommitRequest.newBuilder()
                .setStateId(state(committer)).addByReference(proposal).build()).getCommit();
        HandleReInitCommitResponse own = client(committer).call(MlsClientRpcs.HANDLE_PENDING_RE_INIT_COMMIT,
                HandlePendingCommitRequest.newBuilder().setStateId(state(committer)).build());
        reinitIds.put(committer, own.getReinitId());
        keyPackages.put(committer, own.getKeyPackage());
        for (String m : notCommitter) {
            HandleReInitCommitResponse r = client(m).call(MlsClientRpcs.HANDLE_RE_INIT_COMMIT, HandleCommitRequest
                    .newBuilder().setStateId(state(m)).addProposal(proposal).setCommit(commit).build());
            expect(r.getEpochAuthenticator().equals(own.getEpochAuthenticator()),
                    "Member [" + m + "] failed to agree on epoch authenticator");
            reinitIds.put(m, r.getReinitId());
            keyPackages.put(m, r.getKeyPackage());
        }

        boolean externalTree = Params.flag(p, "externalTree", "external_tree");
        ReInitWelcomeRequest.Builder welcomeReq = ReInitWelcomeRequest.newBuilder()
                .setReinitId(reinitIds.get(welcomer)).setForcePath(Params.flag(p, "forcePath", "force_path"))
                .setExternalTree(externalTree);
        notWelcomer.forEach(m -> welcomeReq.addKeyPackage(keyPackages.get(m)));
        CreateSubgroupResponse created = client(welcomer).call(MlsClientRpcs.RE_INIT_WELCOME, welcomeReq.build());
        stateId.put(welcomer, created.getStateId());
        for (String m : notWelcomer) {
            HandleReInitWelcomeRequest.Builder join = HandleReInitWelcomeRequest.newBuilder()
                    .setReinitId(reinitIds.get(m)).setWelcome(created.getWelcome());
            if (externalTree) {
                join.setRatchetTree(created.getRatchetTree());
            }
            JoinGroupResponse r = client(m).call(MlsClientRpcs.HANDLE_RE_INIT_WELCOME, join.build());
            expect(r.getEpochAuthenticator().equals(created.getEpochAuthenticator()),
                    "Member [" + m + "] failed to agree on reinit epoch authenticator");
            stateId.put(m, r.getStateId());
        }
        verify(i, welcomer, new ArrayList<>(notWelcomer));
    }

    private void branch(int i, String actor, JsonNode p) {
        List<String> members = Params.strings(p, "members");
        Map<String, Integer> txs = new HashMap<>();
        CreateBranchRequest.Builder req = CreateBranchRequest.newBuilder().setStateId(state(actor))
                .setGroupId(utf8(UUID.randomUUID().toString())).addAllExtensions(Params.extensions(p))
                .setForcePath(Params.flag(p, "force_path", "forcePath"))
                .setExternalTree(Params.flag(p, "external_tree", "externalTree"));
        for (String m : members) {
            CreateKeyPackageResponse kp = keyPackage(m);
            txs.put(m, kp.getTransactionId());
            req.addKeyPackages(kp.getKeyPackage());
        }
        CreateSubgroupResponse created = client(actor).call(MlsClientRpcs.CREATE_BRANCH, req.build());
        stateId.put(actor, created.getStateId());
        Map<String, Integer> old = new LinkedHashMap<>();
        for (String m : members) {
            HandleBranchRequest.Builder join = HandleBranchRequest.newBuilder().setStateId(state(m))
                    .setTransactionId(txs.get(m)).setWelcome(created.getWelcome());
            if (req.getExternalTree()) {
                join.setRatchetTree(created.getRatchetTree());
            }
            var r = client(m).call(MlsClientRpcs.HANDLE_BRANCH, join.build());
            expect(r.getEpochAuthenticator().equals(created.getEpochAuthenticator()),
                    "Member [" + m + "] failed to agree on epoch authenticator");
            old.put(m, state(m));
            stateId.put(m, r.getStateId());
        }
        old.forEach((m, id) -> client(m).call(MlsClientRpcs.FREE, FreeRequest.newBuilder().setStateId(id).build()));
        verify(i, actor, members);
    }

    /** The published runner picks another suite every client supports; we take the next one in order. */
    private void changeCipherSuite() {
        Set<Integer> common = null;
        for (HarnessClient c : new LinkedHashSet<>(clients.values())) {
            if (common == null) {
                common = new TreeSet<>(c.suites());
            } else {
                common.retainAll(c.suites());
            }
        }
        common.remove(suite);
        if (common.isEmpty()) {
            throw new AssertionError("no remaining supported ciphersuite");
        }
        int current = suite;
        suite = common.stream().filter(s -> s > current).findFirst().orElse(common.iterator().next());
    }

    private ByteString newGroupId(boolean change) {
        ByteString id = get(0, "group_id");
        return change ? id.concat(utf8("++")) : id;
    }

    private void verify(int step, String first, List<String> others) {
        List<String> group = new ArrayList<>();
        group.add(first);
        others.stream().filter(o -> !group.contains(o)).forEach(group::add);
        Map<String, Integer> states = new LinkedHashMap<>();
        group.forEach(a -> states.put(a, state(a)));
        new GroupStateCheck(clients, states).verify("step " + step);
        checks++;
    }

    private ByteString randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private static void expect(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
