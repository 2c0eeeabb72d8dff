package org.mlsbridge.interop;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.mlsbridge.interop.proto.ProposalDescription;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ResumptionPskUsage;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * Turns the harness's ProposalDescription (a committer's proposal by value, or an external
 * signer's proposal) into a proposal for the group of {@code context}. PSK ids get a fresh
 * nonce of the suite's hash length (RFC 9420 §8.4).
 */
final class Descriptions {
    private final SecureRandom random = new SecureRandom();

    Proposal toProposal(ProposalDescription d, GroupContext context, RatchetTree tree, SuiteCrypto crypto)
            throws RpcFailure {
        String type = d.getProposalType().toString(StandardCharsets.UTF_8);
        return switch (type) {
            case "add" -> new Proposal.Add(Wire.keyPackage(d.getKeyPackage(), "key_package"));
            case "remove" -> new Proposal.Remove(Members.leafOf(tree, Wire.bytes(d.getRemovedId()), "removed_id"));
            case "externalPSK" -> new Proposal.PreSharedKey(externalPsk(Wire.bytes(d.getPskId()), crypto));
            case "resumptionPSK" -> new Proposal.PreSharedKey(resumptionPsk(context, d.getEpochId(), crypto));
            case "groupContextExtensions" ->
                    new Proposal.GroupContextExtensions(Wire.extensions(d.getExtensionsList(), "extensions"));
            case "reinit" -> new Proposal.ReInit(Wire.bytes(d.getGroupId()), GroupContext.MLS10,
                    Wire.suite(d.getCipherSuite(), "cipher_suite"), Wire.extensions(d.getExtensionsList(), "extensions"));
            default -> throw RpcFailure.invalid("unknown proposal_type \"" + type + "\"");
        };
    }

    PreSharedKeyId externalPsk(Bytes pskId, SuiteCrypto crypto) throws RpcFailure {
        if (pskId.isEmpty()) {
            throw RpcFailure.invalid("psk_id is empty");
        }
        return new PreSharedKeyId.ExternalPsk(pskId, nonce(crypto));
    }

    /** A resumption PSK of the group's own earlier epoch (usage application). */
    PreSharedKeyId resumptionPsk(GroupContext context, long epoch, SuiteCrypto crypto) {
        return new PreSharedKeyId.ResumptionPsk(ResumptionPskUsage.APPLICATION, context.groupId(), epoch,
                nonce(crypto));
    }

    private Bytes nonce(SuiteCrypto crypto) {
        byte[] n = new byte[crypto.hashLength()];
        random.nextBytes(n);
        return Bytes.wrap(n);
    }
}
