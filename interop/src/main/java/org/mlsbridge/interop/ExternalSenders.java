package org.mlsbridge.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.interop.proto.AddExternalSignerRequest;
import org.mlsbridge.interop.proto.CreateExternalSignerRequest;
import org.mlsbridge.interop.proto.CreateExternalSignerResponse;
import org.mlsbridge.interop.proto.ExternalSignerProposalRequest;
import org.mlsbridge.interop.proto.NewMemberAddProposalRequest;
import org.mlsbridge.interop.proto.NewMemberAddProposalResponse;
import org.mlsbridge.interop.proto.ProposalResponse;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.group.ExternalProposer;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.PublicGroupView;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.Proposal;

/**
 * Proposals from outside the group (RFC 9420 §12.1.8): a would-be member asking to be added
 * (new_member_proposal), and external signers listed in the group's external_senders extension.
 * Both work from a GroupInfo, whose signature and tree are checked first.
 */
final class ExternalSenders {
    private final ClientState client;
    private final Descriptions descriptions;

    ExternalSenders(ClientState client, Descriptions descriptions) {
        this.client = client;
        this.descriptions = descriptions;
    }

    NewMemberAddProposalResponse newMemberAddProposal(NewMemberAddProposalRequest r) throws MlsException, RpcFailure {
        PublicGroupView view = view(Wire.groupInfo(r.getGroupInfo(), "group_info"), Optional.empty());
        KeyPackageHandle kp = client.newKeyPackage(view.context().cipherSuite(), Wire.identity(r.getIdentity()),
                new PskStore());
        MlsMessage proposal = ExternalProposer.requestToJoin(view.context(), kp.bundle().keyPackage(), kp.identity(),
                client.crypto());
        int id = client.handles().add(kp);
        return NewMemberAddProposalResponse.newBuilder().setTransactionId(id)
                .setProposal(Wire.message(proposal))
                .setInitPriv(Wire.secret(kp.bundle().initPrivateKey()))
                .setEncryptionPriv(Wire.secret(kp.bundle().encryptionPrivateKey()))
                .setSignaturePriv(Wire.secret(kp.identity().signaturePrivateKey()))
                .build();
    }

    CreateExternalSignerResponse createExternalSigner(CreateExternalSignerRequest r) throws RpcFailure {
        ExternalProposer signer = new ExternalProposer(client.newIdentity(Wire.suite(r.getCipherSuite(),
                "cipher_suite"), Wire.identity(r.getIdentity())), client.crypto());
        int id = client.handles().add(new SignerHandle(signer));
        return CreateExternalSignerResponse.newBuilder().setSignerId(id)
                .setExternalSender(Wire.bytes(signer.externalSender().encode())).build();
    }

    /** A GroupContextExtensions proposal keeping every extension and appending the signer to external_senders. */
    ProposalResponse addExternalSigner(AddExternalSignerRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        ExternalSender added;
        try {
            added = TlsReader.decode(r.getExternalSender().toByteArray(), ExternalSender::readFrom);
        } catch (DecodeException e) {
            throw RpcFailure.invalid("external_sender is not an ExternalSender: " + e.getMessage());
        }
        GroupState s = h.group().state();
        List<Extension> extensions = new ArrayList<>();
        boolean listed = false;
        for (Extension e : s.context().extensions()) {
            if (e.type() == Extension.EXTERNAL_SENDERS) {
                List<ExternalSender> senders = new ArrayList<>(ExternalSender.fromExtension(e));
                senders.add(added);
                extensions.add(ExternalSender.toExtension(senders));
                listed = true;
            } else {
                extensions.add(e);
            }
        }
        if (!listed) {
            extensions.add(ExternalSender.toExtension(List.of(added)));
        }
        var sent = h.group().propose(new Proposal.GroupContextExtensions(extensions));
        h.recordSent(sent);
        return ProposalResponse.newBuilder().setProposal(Wire.message(sent.message())).build();
    }

    /**
     * The signer's index in external_senders is looked up by its key in the GroupInfo's context
     * rather than taken from {@code signer_index}, which the published runner leaves at 0.
     */
    ProposalResponse externalSignerProposal(ExternalSignerProposalRequest r) throws MlsException, RpcFailure {
        SignerHandle signer = client.handles().get(r.getSignerId(), SignerHandle.class, "external signer");
        if (!r.hasDescription()) {
            throw RpcFailure.invalid("description is missing");
        }
        PublicGroupView view = view(Wire.groupInfo(r.getGroupInfo(), "group_info"),
                Wire.tree(r.getRatchetTree(), "ratchet_tree"));
        Proposal proposal = descriptions.toProposal(r.getDescription(), view.context(), view.tree(),
                client.crypto().suite(view.context().cipherSuite()));
        MlsMessage m = signer.proposer().propose(view.context(), proposal);
        return ProposalResponse.newBuilder().setProposal(Wire.message(m)).build();
    }

    private PublicGroupView view(GroupInfo info, Optional<List<Optional<Node>>> tree) throws MlsException {
        return PublicGroupView.fromGroupInfo(info, tree, client.config(false));
    }
}
