package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.PreparedPath;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.tree.TreePrivateKeys;
import org.mlsbridge.mls.validation.ProposalListValidator;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * A member's commit (RFC 9420 §12.4.1): choose and validate the proposals, apply them with the
 * receivers' {@link ProposalApplier}, create and encrypt the UpdatePath, run the receivers'
 * {@link EpochSuccession} to get the next epoch and the confirmation tag, then frame the commit
 * and build the GroupInfo and Welcome. Nothing of the current state changes, except that a
 * PrivateMessage commit uses up one handshake key of the member's ratchet.
 */
final class CommitBuilder {
    private final GroupConfig config;
    private final PskLookup psks;
    private final SecureRandom random;

    CommitBuilder(GroupConfig config, PskLookup psks, SecureRandom random) {
        this.config = config;
        this.psks = psks;
        this.random = random;
    }

    private record PathPart(RatchetTree tree, TreePrivateKeys keys, Optional<PreparedPath> prepared,
            Optional<UpdatePath> updatePath, Secret commitSecret) {
    }

    /**
     * @param extraPsks PSKs that enter the key schedule and the Welcome without a proposal: the
     *     resumption PSK of a ReInit or branch (§11.2, §11.3)
     */
    CommitOutput build(GroupState s, CommitOptions o, List<PreSharedKeyId> extraPsks) throws MlsException {
        if (s.pendingReInit().isPresent()) {
            throw new IllegalStateException("RFC 9420 §11.2: the group was reinitialized; no more commits");
        }
        Sender me = new Sender.Member(s.ownLeaf());
        List<ResolvedProposal> resolved = resolve(s, o, me);
        boolean withPath = o.path()
                || ProposalListValidator.pathRequired(resolved.stream().map(ResolvedProposal::proposal).toList());
        validate(s, resolved, me, withPath);
        AppliedProposals applied = ProposalApplier.apply(s, resolved);
        PathPart path = withPath ? path(s, applied) : new PathPart(applied.tree(),
                s.privateKeys().retainMatching(applied.tree()), Optional.empty(), Optional.empty(),
                Secret.zero(s.crypto().hashLength()));
        try {
            return signAndDerive(s, o, resolved, applied, path, extraPsks);
        } catch (MlsException | RuntimeException e) {
            // Nothing was sent: the new path keys must not outlive the attempt.
            path.prepared().ifPresent(p -> p.privateKeys().nodes().forEach(
                    n -> p.privateKeys().get(n).orElseThrow().privateKey().destroy()));
            throw e;
        } finally {
            path.commitSecret().destroy();
            path.prepared().ifPresent(p -> p.pathSecrets().forEach(Secret::destroy));
        }
    }

    private CommitOutput signAndDerive(GroupState s, CommitOptions o, List<ResolvedProposal> resolved,
            AppliedProposals applied, PathPart path, List<PreSharedKeyId> extraPsks) throws MlsException {
        List<ProposalOrRef> wire = resolved.stream().map(CommitBuilder::onWire).toList();
        AuthenticatedContent unconfirmed = OwnFraming.sign(s, config.handshakes().wireFormat(),
                OwnFraming.content(s, o.authenticatedData(), new Content.CommitContent(new Commit(wire,
                        path.updatePath()))));
        List<PreSharedKeyId> allPsks = new ArrayList<>(applied.psks());
        allPsks.addAll(extraPsks);
        Secret pskSecret = PskResolver.resolve(s, allPsks, psks);
        EpochSuccession.NextEpoch next;
        try {
            next = EpochSuccession.derive(s, path.tree(), applied.extensions(), unconfirmed,
                    s.epochSecrets().initSecret(), path.commitSecret(), pskSecret);
        } finally {
            pskSecret.destroy();
        }
        try {
            return finish(s, o, resolved, applied, path, unconfirmed, next, allPsks);
        } catch (MlsException | RuntimeException e) {
            next.epochSecrets().destroy();
            throw e;
        } finally {
            next.transition().destroyJoinerSecrets();
        }
    }

    private CommitOutput finish(GroupState s, CommitOptions o, List<ResolvedProposal> resolved,
            AppliedProposals applied, PathPart path, AuthenticatedContent unconfirmed, EpochSuccession.NextEpoch next,
            List<PreSharedKeyId> allPsks) throws MlsException {
        Bytes tag = TranscriptHashes.confirmationTag(s.crypto(), next.epochSecrets().confirmationKey(),
                next.context().confirmedTranscriptHash());
        GroupState nextState = EpochSuccession.successor(s, next, path.tree(), s.ownLeaf(), path.keys(), tag,
                applied.reInit(), config);
        GroupInfo info = GroupInfoBuilder.build(nextState, o.ratchetTreeInGroupInfo(), o.externalPubInGroupInfo());
        Optional<Welcome> welcome = WelcomeBuilder.build(s.crypto(), joiners(resolved, applied), info,
                next.transition(), path.prepared(), allPsks);
        MlsMessage message = OwnFraming.protect(s, OwnFraming.withTag(unconfirmed, tag), config, random);
        StagedCommit pending = new StagedCommit(s.groupId(), s.epoch(), new Sender.Member(s.ownLeaf()), resolved,
                applied, Optional.of(nextState), o.authenticatedData());
        return new CommitOutput(message, welcome, info, pending);
    }

    /** Explicit references, then (optionally) the other cached proposals, then the values. */
    private static List<ResolvedProposal> resolve(GroupState s, CommitOptions o, Sender me) {
        List<ResolvedProposal> out = new ArrayList<>();
        for (Bytes ref : o.references()) {
            CachedProposal c = s.proposals().get(ref);
            if (c == null) {
                throw new IllegalArgumentException("no cached proposal " + ref + " in epoch "
                        + Long.toUnsignedString(s.epoch()));
            }
            out.add(new ResolvedProposal(c.proposal(), c.sender(), Optional.of(ref)));
        }
        List<ResolvedProposal> values = o.byValue().stream()
                .map(p -> new ResolvedProposal(p, me, Optional.<Bytes>empty())).toList();
        if (o.allCached()) {
            List<ResolvedProposal> taken = new ArrayList<>(out);
            taken.addAll(values);
            out.addAll(CachedProposalPicker.select(s, taken));
        }
        out.addAll(values);
        return out;
    }

    /** The same checks the receivers will run, so that a commit we send is one they accept. */
    private void validate(GroupState s, List<ResolvedProposal> resolved, Sender me, boolean withPath)
            throws MlsException {
        new GroupValidation(config).proposalList(s, resolved, me, withPath);
    }

    /** §7.5, §12.4.1: new path keys, merged into the tree, encrypted to the provisional context. */
    private PathPart path(GroupState s, AppliedProposals applied) throws MlsException {
        PreparedPath pp = TreeKem.preparePath(applied.tree(), s.ownLeaf(), random,
                TreeKem.resigning(s.crypto(), s.ownLeafNode(), s.signaturePrivateKey(), s.groupId(), s.ownLeaf()));
        byte[] provisional = EpochSuccession.provisionalContext(s, pp.tree(), applied.extensions()).toByteArray();
        UpdatePath updatePath = pp.encrypt(provisional, Set.copyOf(applied.added()));
        return new PathPart(pp.tree(), pp.privateKeys(), Optional.of(pp), Optional.of(updatePath), pp.commitSecret());
    }

    private static List<WelcomeBuilder.Joiner> joiners(List<ResolvedProposal> resolved, AppliedProposals applied) {
        List<WelcomeBuilder.Joiner> out = new ArrayList<>();
        int i = 0;
        for (ResolvedProposal p : resolved) {
            if (p.proposal() instanceof Proposal.Add add) {
                out.add(new WelcomeBuilder.Joiner(add.keyPackage(), applied.added().get(i++)));
            }
        }
        return out;
    }

    private static ProposalOrRef onWire(ResolvedProposal p) {
        return p.ref().<ProposalOrRef>map(ProposalOrRef.ByReference::new)
                .orElseGet(() -> new ProposalOrRef.ByValue(p.proposal()));
    }
}
