package org.mlsbridge.bridge.trust;

import org.mlsbridge.mls.message.Proposal;

/** Proposal types as room policy names them (RFC 9420 §12.1). */
public enum ProposalKind {
    ADD,
    UPDATE,
    REMOVE,
    PSK,
    REINIT,
    EXTERNAL_INIT,
    GROUP_CONTEXT_EXTENSIONS,
    /** Any proposal type outside RFC 9420's seven. */
    CUSTOM;

    public static ProposalKind of(Proposal p) {
        return switch (p) {
            case Proposal.Add a -> ADD;
            case Proposal.Update u -> UPDATE;
            case Proposal.Remove r -> REMOVE;
            case Proposal.PreSharedKey k -> PSK;
            case Proposal.ReInit r -> REINIT;
            case Proposal.ExternalInit e -> EXTERNAL_INIT;
            case Proposal.GroupContextExtensions g -> GROUP_CONTEXT_EXTENSIONS;
            case Proposal.CustomProposal c -> CUSTOM;
        };
    }
}
