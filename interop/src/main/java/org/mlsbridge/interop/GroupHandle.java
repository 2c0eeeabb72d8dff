package org.mlsbridge.interop;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.SentProposal;
import org.mlsbridge.mls.keys.SignatureIdentity;

/**
 * One member's state in one group, as the runner names it by a state id. Besides the group it
 * keeps the member's signature identity (a ReInit or branch creates the new group with it) and
 * the ProposalRefs of the proposals it sent this epoch: when the runner passes such a proposal
 * back for a commit by reference, it cannot be read again (its key is gone, RFC 9420 §9.2), so
 * its ref is found here.
 */
final class GroupHandle {
    private final MlsGroup group;
    private final SignatureIdentity identity;
    private final PskStore psks;
    private final Map<Bytes, Bytes> sentProposals = new HashMap<>();
    private long sentEpoch;

    GroupHandle(MlsGroup group, SignatureIdentity identity, PskStore psks) {
        this.group = Objects.requireNonNull(group, "group");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.psks = Objects.requireNonNull(psks, "psks");
        this.sentEpoch = group.epoch();
    }

    MlsGroup group() {
        return group;
    }

    SignatureIdentity identity() {
        return identity;
    }

    PskStore psks() {
        return psks;
    }

    void recordSent(SentProposal proposal) {
        forgetStaleProposals();
        sentProposals.put(Bytes.wrap(proposal.message().toByteArray()), proposal.ref());
    }

    /** The ref of a proposal this member sent in the current epoch, by its exact encoding. */
    Optional<Bytes> sentProposalRef(Bytes encodedMessage) {
        forgetStaleProposals();
        return Optional.ofNullable(sentProposals.get(encodedMessage));
    }

    private void forgetStaleProposals() {
        if (group.epoch() != sentEpoch) {
            sentProposals.clear();
            sentEpoch = group.epoch();
        }
    }

    @Override
    public String toString() {
        return "GroupHandle[" + group + "]";
    }
}
