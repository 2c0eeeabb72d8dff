package org.mlsbridge.mls.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mlsbridge.mls.validation.Fixture.leaf;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.message.Sender;

class ProposalSelectorTest {
    private static final Sender.Member COMMITTER = new Sender.Member(leaf(0));

    private final Fixture f = Fixture.group(4);
    private final ProposalListValidator validator = new ProposalListValidator(
            new KeyPackageValidator(new LeafNodeValidator(CredentialValidator.basic(), Fixture.CLOCK)));
    private final ProposalSelector selector = new ProposalSelector(validator);

    private static ResolvedProposal from(int member, Proposal p) {
        return new ResolvedProposal(p, new Sender.Member(leaf(member)), Optional.of(Bytes.fromHex("ee")));
    }

    private static Proposal psk(String id) {
        return new Proposal.PreSharedKey(new PreSharedKeyId.ExternalPsk(Bytes.fromHex(id), Bytes.wrap(new byte[32])));
    }

    private ProposalSelector.Selection select(List<ResolvedProposal> pending) {
        ProposalSelector.Selection s = selector.select(pending, COMMITTER, f.tree, f.context);
        assertThatCode(() -> validator.validate(s.selected(), COMMITTER, true, f.tree, f.context))
                .doesNotThrowAnyException();
        assertThat(s.selected().size() + s.omitted().size()).isEqualTo(pending.size());
        return s;
    }

    @Test
    void validPendingProposalsAreAllSelectedInOrder() {
        List<ResolvedProposal> pending = List.of(from(1, new Proposal.Add(f.keyPackage("a"))),
                from(2, new Proposal.Remove(leaf(3))), from(1, psk("01")), from(2, new Proposal.Update(f.updateLeaf(2))));
        assertThat(select(pending).selected()).containsExactlyElementsOf(pending);
    }

    @Test
    void removeBeatsUpdateAndTheLatestUpdateWins() {
        ResolvedProposal update1 = from(1, new Proposal.Update(f.updateLeaf(1)));
        ResolvedProposal remove1 = from(2, new Proposal.Remove(leaf(1)));
        ResolvedProposal remove1Again = from(3, new Proposal.Remove(leaf(1)));
        ResolvedProposal update2old = from(2, new Proposal.Update(f.updateLeaf(2)));
        ResolvedProposal update2new = from(2, new Proposal.Update(f.updateLeaf(2)));
        var s = select(List.of(update1, remove1, update2old, remove1Again, update2new));
        assertThat(s.selected()).containsExactly(remove1, update2new);
        assertThat(s.omitted()).extracting(ProposalSelector.Omitted::proposal)
                .containsExactlyInAnyOrder(update1, update2old, remove1Again);
    }

    @Test
    void committersOwnUpdateAndRemoveAndInvalidProposalsAreLeftOut() {
        ResolvedProposal own = from(0, new Proposal.Update(f.updateLeaf(0)));
        ResolvedProposal removeMe = from(1, new Proposal.Remove(leaf(0)));
        ResolvedProposal ghost = from(1, new Proposal.Remove(leaf(9)));
        ResolvedProposal badAdd = from(1, new Proposal.Add(f.keyPackage("x").withSignature(Bytes.fromHex("00"))));
        ResolvedProposal good = from(1, psk("01"));
        var s = select(List.of(own, removeMe, ghost, badAdd, good));
        assertThat(s.selected()).containsExactly(good);
        assertThat(s.omitted()).extracting(ProposalSelector.Omitted::reason).anyMatch(r -> r.contains("§12.1.3"))
                .anyMatch(r -> r.contains("§10.1")).anyMatch(r -> r.contains("superseded by its commit's path"));
    }

    @Test
    void duplicatesAreDropped() {
        var kp = f.keyPackage("a");
        ResolvedProposal add = from(1, new Proposal.Add(kp));
        ResolvedProposal addAgain = from(2, new Proposal.Add(kp));
        ResolvedProposal addMember = from(2, new Proposal.Add(f.keyPackage(f.ids.get(3), null)));
        ResolvedProposal psk = from(1, psk("01"));
        ResolvedProposal pskAgain = from(2, psk("01"));
        ResolvedProposal gceOld = from(1, new Proposal.GroupContextExtensions(List.of()));
        ResolvedProposal gceNew = from(2, new Proposal.GroupContextExtensions(List.of()));
        var s = select(List.of(add, addAgain, addMember, psk, pskAgain, gceOld, gceNew));
        assertThat(s.selected()).containsExactly(add, psk, gceNew);
    }

    @Test
    void reInitWaitsForOtherProposals() {
        ResolvedProposal reinit = from(1, new Proposal.ReInit(Bytes.fromHex("99"), 1, f.suite, List.of()));
        ResolvedProposal psk = from(2, psk("01"));
        assertThat(select(List.of(reinit, psk)).selected()).containsExactly(psk);
        ResolvedProposal reinit2 = from(2, new Proposal.ReInit(Bytes.fromHex("98"), 1, f.suite, List.of()));
        assertThat(select(List.of(reinit, reinit2)).selected()).containsExactly(reinit);
    }

    @Test
    void crossProposalConflictsAreResolvedGreedily() {
        // Members all support 0xff00; a GCE requiring it conflicts with a later Add that lacks it.
        Fixture g = Fixture.group(f.suite, 3, f.caps(List.of(0xff00), List.of(), List.of()));
        ResolvedProposal gce = from(1, new Proposal.GroupContextExtensions(List.of(
                new RequiredCapabilities(List.of(0xff00), List.of(), List.of()).toExtension())));
        ResolvedProposal plainAdd = from(2, new Proposal.Add(g.keyPackage("plain")));
        var s = selector.select(List.of(gce, plainAdd), COMMITTER, g.tree, g.context);
        assertThat(s.selected()).containsExactly(gce);
        assertThat(s.omitted()).singleElement().satisfies(o -> assertThat(o.reason()).contains("§12.1.7"));
    }

    @Test
    void nothingPendingSelectsNothing() {
        assertThat(select(List.of()).selected()).isEmpty();
    }
}
