package org.mlsbridge.interop;

import org.mlsbridge.interop.proto.AddProposalRequest;
import org.mlsbridge.interop.proto.ExternalPSKProposalRequest;
import org.mlsbridge.interop.proto.GroupContextExtensionsProposalRequest;
import org.mlsbridge.interop.proto.ProposalResponse;
import org.mlsbridge.interop.proto.ReInitProposalRequest;
import org.mlsbridge.interop.proto.RemoveProposalRequest;
import org.mlsbridge.interop.proto.ResumptionPSKProposalRequest;
import org.mlsbridge.interop.proto.UpdateProposalRequest;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.SentProposal;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Proposal;

/**
 * Proposals a member sends (RFC 9420 §12.1), in the group's handshake wire format. Each is
 * cached by the library for the member's own commit, and its ref remembered by the handle.
 */
final class Proposals {
    private final ClientState client;
    private final Descriptions descriptions;

    Proposals(ClientState client, Descriptions descriptions) {
        this.client = client;
        this.descriptions = descriptions;
    }

    ProposalResponse add(AddProposalRequest r) throws MlsException, RpcFailure {
        return send(r.getStateId(), new Proposal.Add(Wire.keyPackage(r.getKeyPackage(), "key_package")));
    }

    ProposalResponse update(UpdateProposalRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        return sent(h, h.group().proposeUpdate());
    }

    ProposalResponse remove(RemoveProposalRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        Proposal.Remove remove = new Proposal.Remove(Members.leafOf(h.group().state().tree(),
                Wire.bytes(r.getRemovedId()), "removed_id"));
        return sent(h, h.group().propose(remove));
    }

    ProposalResponse externalPsk(ExternalPSKProposalRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        GroupState s = h.group().state();
        return sent(h, h.group().propose(new Proposal.PreSharedKey(
                descriptions.externalPsk(Wire.bytes(r.getPskId()), s.crypto()))));
    }

    ProposalResponse resumptionPsk(ResumptionPSKProposalRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        GroupState s = h.group().state();
        return sent(h, h.group().propose(new Proposal.PreSharedKey(
                descriptions.resumptionPsk(s.context(), r.getEpochId(), s.crypto()))));
    }

    ProposalResponse groupContextExtensions(GroupContextExtensionsProposalRequest r)
            throws MlsException, RpcFailure {
        return send(r.getStateId(), new Proposal.GroupContextExtensions(
                Wire.extensions(r.getExtensionsList(), "extensions")));
    }

    ProposalResponse reInit(ReInitProposalRequest r) throws MlsException, RpcFailure {
        if (r.getGroupId().isEmpty()) {
            throw RpcFailure.invalid("group_id is empty");
        }
        return send(r.getStateId(), new Proposal.ReInit(Wire.bytes(r.getGroupId()), GroupContext.MLS10,
                Wire.suite(r.getCipherSuite(), "cipher_suite"), Wire.extensions(r.getExtensionsList(), "extensions")));
    }

    private ProposalResponse send(int stateId, Proposal proposal) throws MlsException, RpcFailure {
        GroupHandle h = client.group(stateId);
        return sent(h, h.group().propose(proposal));
    }

    private static ProposalResponse sent(GroupHandle h, SentProposal sent) {
        h.recordSent(sent);
        return ProposalResponse.newBuilder().setProposal(Wire.message(sent.message())).build();
    }
}
