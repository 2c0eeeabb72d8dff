package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;

/**
 * A non-member that sends proposals to a group (RFC 9420 §12.1.8.1), e.g. a bot managing
 * membership: its signature key must be listed in the group's external_senders extension. It
 * holds no group secret; it needs only the public GroupContext of the target epoch (from a
 * GroupInfo, or a public view kept by following PublicMessage commits). Proposals are
 * PublicMessages without membership tag; a member commits them.
 */
public final class ExternalProposer {
    private final SignatureIdentity identity;
    private final CryptoProvider crypto;

    public ExternalProposer(SignatureIdentity identity, CryptoProvider crypto) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    /** This signer's entry for a group's external_senders extension. */
    public ExternalSender externalSender() {
        return new ExternalSender(identity.signaturePublicKey(), identity.credential());
    }

    /**
     * A proposal for the group and epoch of {@code context}: Add, Remove, PreSharedKey, ReInit or
     * GroupContextExtensions (§17.4).
     *
     * @throws ValidationException this signer is not in the context's external_senders
     */
    public MlsMessage propose(GroupContext context, Proposal proposal, Bytes authenticatedData) throws MlsException {
        switch (proposal) {
            case Proposal.Add a -> { }
            case Proposal.Remove r -> { }
            case Proposal.PreSharedKey p -> { }
            case Proposal.ReInit r -> { }
            case Proposal.GroupContextExtensions g -> { }
            default -> throw new IllegalArgumentException("RFC 9420 §12.1.8: an external sender may not send "
                    + "proposal type " + proposal.type());
        }
        FramedContent fc = new FramedContent(context.groupId(), context.epoch(), new Sender.External(index(context)),
                authenticatedData, new Content.ProposalContent(proposal));
        return MlsMessage.of(new PublicMessageProtection(crypto.suite(context.cipherSuite())).protect(fc,
                identity.signaturePrivateKey(), context, Optional.empty()));
    }

    public MlsMessage propose(GroupContext context, Proposal proposal) throws MlsException {
        return propose(context, proposal, Bytes.EMPTY);
    }

    /**
     * A request to be added (§12.1.8, sender new_member_proposal): an Add of {@code keyPackage}
     * signed with its own leaf's key, for any member to commit. Needs no external_senders entry.
     *
     * @param identity the KeyPackage's signer
     */
    public static MlsMessage requestToJoin(GroupContext context, KeyPackage keyPackage, SignatureIdentity identity,
            CryptoProvider crypto) throws MlsException {
        if (!keyPackage.leafNode().signatureKey().equals(identity.signaturePublicKey())) {
            throw new IllegalArgumentException("the KeyPackage was not made for this signature identity");
        }
        FramedContent fc = new FramedContent(context.groupId(), context.epoch(), new Sender.NewMemberProposal(),
                Bytes.EMPTY, new Content.ProposalContent(new Proposal.Add(keyPackage)));
        return MlsMessage.of(new PublicMessageProtection(crypto.suite(context.cipherSuite())).protect(fc,
                identity.signaturePrivateKey(), context, Optional.empty()));
    }

    /** This signer's position in the external_senders extension. */
    public int index(GroupContext context) throws MlsException {
        Optional<Extension> ext = Extensions.find(context.extensions(), Extension.EXTERNAL_SENDERS);
        List<ExternalSender> senders = ext.isPresent() ? ExternalSender.fromExtension(ext.get()) : List.of();
        for (int i = 0; i < senders.size(); i++) {
            if (senders.get(i).signatureKey().equals(identity.signaturePublicKey())) {
                return i;
            }
        }
        throw new ValidationException("RFC 9420 §12.1.8.1: this signer is not in the group's external_senders");
    }
}
