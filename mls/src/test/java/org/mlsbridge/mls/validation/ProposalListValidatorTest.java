package org.mlsbridge.mls.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlsbridge.mls.validation.Fixture.leaf;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.message.ResumptionPskUsage;
import org.mlsbridge.mls.message.Sender;

class ProposalListValidatorTest {
    private static final Bytes NONCE = Bytes.wrap(new byte[32]);
    private static final Sender COMMITTER = member(0);
    private static final Sender EXTERNAL_COMMITTER = new Sender.NewMemberCommit();

    private final Fixture f = Fixture.group(4);
    private final ProposalListValidator validator = new ProposalListValidator(
            new KeyPackageValidator(new LeafNodeValidator(CredentialValidator.basic(), Fixture.CLOCK)));

    private static Sender member(int i) {
        return new Sender.Member(leaf(i));
    }

    private static ResolvedProposal v(Proposal p) {
        return ResolvedProposal.byValue(p, COMMITTER);
    }

    private static ResolvedProposal ref(Proposal p, Sender sender) {
        return new ResolvedProposal(p, sender, Optional.of(Bytes.fromHex("eeee")));
    }

    private static ResolvedProposal ext(Proposal p) {
        return ResolvedProposal.byValue(p, EXTERNAL_COMMITTER);
    }

    private static Proposal remove(int i) {
        return new Proposal.Remove(leaf(i));
    }

    private static Proposal psk(String id) {
        return new Proposal.PreSharedKey(new PreSharedKeyId.ExternalPsk(Bytes.fromHex(id), NONCE));
    }

    private Proposal add(String name) {
        return new Proposal.Add(f.keyPackage(name));
    }

    private Proposal update(int member) {
        return new Proposal.Update(f.updateLeaf(member));
    }

    private static Proposal externalInit() {
        return new Proposal.ExternalInit(Bytes.fromHex("0102"));
    }

    private void ok(List<ResolvedProposal> list, Sender committer, boolean path) {
        assertThatCode(() -> validator.validate(list, committer, path, f.tree, f.context)).doesNotThrowAnyException();
    }

    private void ok(List<ResolvedProposal> list) {
        ok(list, COMMITTER, true);
    }

    private void rejects(List<ResolvedProposal> list, Sender committer, boolean path, GroupContext ctx, String message) {
        assertThatThrownBy(() -> validator.validate(list, committer, path, f.tree, ctx))
                .isInstanceOf(ValidationException.class).hasMessageContaining(message);
    }

    private void rejects(List<ResolvedProposal> list, String message) {
        rejects(list, COMMITTER, true, f.context, message);
    }

    // ---- valid lists --------------------------------------------------------------------------

    @Test
    void typicalCommitsPass() {
        ok(List.of());
        ok(List.of(v(add("new")), v(remove(2)), v(psk("01")), ref(update(1), member(1)), ref(remove(3), member(2))));
        ok(List.of(v(add("a")), v(add("b")), v(psk("01"))), COMMITTER, false);
        ok(List.of(v(new Proposal.ReInit(Bytes.fromHex("99"), 1, CipherSuite.MLS_128_DHKEMP256_AES128GCM_SHA256_P256,
                List.of()))), COMMITTER, false);
    }

    @Test
    void readdingARemovedClientIsAllowed() {
        KeyPackage again = f.keyPackage(f.ids.get(2), null);
        ok(List.of(v(remove(2)), v(new Proposal.Add(again))));
        rejects(List.of(v(new Proposal.Add(again))),
                "§12.2: an Add proposal adds a client already in the group (same signature key as leaf 2)");
    }

    // ---- §12.4 path ---------------------------------------------------------------------------

    @Test
    void pathIsRequiredWhenTheRfcSaysSo() {
        assertThat(ProposalListValidator.pathRequired(List.of())).isTrue();
        assertThat(ProposalListValidator.pathRequired(List.of(add("x"), psk("01")))).isFalse();
        assertThat(ProposalListValidator.pathRequired(List.of(add("x"), remove(1)))).isTrue();
        for (int type : List.of(Proposal.UPDATE, Proposal.REMOVE, Proposal.EXTERNAL_INIT,
                Proposal.GROUP_CONTEXT_EXTENSIONS, 0xf000)) {
            assertThat(ProposalListValidator.isPathRequiredType(type)).as("type %d", type).isTrue();
        }
        for (int type : List.of(Proposal.ADD, Proposal.PSK, Proposal.REINIT)) {
            assertThat(ProposalListValidator.isPathRequiredType(type)).as("type %d", type).isFalse();
        }
        rejects(List.of(), COMMITTER, false, f.context, "§12.4: the commit must have a path: it covers no proposals");
        rejects(List.of(v(remove(1))), COMMITTER, false, f.context, "§12.4: the commit must have a path");
        rejects(List.of(ref(update(1), member(1))), COMMITTER, false, f.context, "§12.4: the commit must have a path");
        rejects(List.of(v(new Proposal.GroupContextExtensions(List.of()))), COMMITTER, false, f.context,
                "§12.4: the commit must have a path");
    }

    // ---- §12.2 regular commits --------------------------------------------------------------

    @Test
    void committerMustNotUpdateItself() {
        rejects(List.of(ref(update(0), member(0))), "§12.2: the commit must not cover an Update from the committer");
    }

    @Test
    void committerMustNotRemoveItself() {
        rejects(List.of(v(remove(0))), "§12.2: the commit must not remove the committer");
    }

    @Test
    void atMostOneUpdateOrRemovePerLeaf() {
        rejects(List.of(v(remove(1)), ref(remove(1), member(2))),
                "§12.2: more than one Update or Remove applies to leaf 1 (Remove and Remove)");
        rejects(List.of(ref(update(1), member(1)), v(remove(1))),
                "§12.2: more than one Update or Remove applies to leaf 1 (Update and Remove)");
        rejects(List.of(ref(update(1), member(1)), ref(update(1), member(1))),
                "§12.2: more than one Update or Remove applies to leaf 1 (Update and Update)");
    }

    @Test
    void addsMustBeDistinctNewClients() {
        SignatureIdentity id = f.identity("twice");
        rejects(List.of(v(new Proposal.Add(f.keyPackage(id, null))), v(new Proposal.Add(f.keyPackage(id, null)))),
                "§12.2: two Add proposals add the same client");
        rejects(List.of(v(new Proposal.Add(f.keyPackage(f.ids.get(3), null)))),
                "§12.2: an Add proposal adds a client already in the group (same signature key as leaf 3)");
    }

    @Test
    void incomingLeavesMustNotShareKeys() {
        KeyPackage a = f.keyPackage("a");
        SignatureIdentity bId = f.identity("b");
        KeyPackage b = f.keyPackage(bId, null);
        KeyPackage bWithAsKey = f.resign(bId, new KeyPackage(1, b.cipherSuite(), b.initKey(),
                Fixture.with(b.leafNode(), a.leafNode().encryptionKey(), b.leafNode().signatureKey(),
                        b.leafNode().credential(), b.leafNode().capabilities(), List.of()), List.of(), b.signature()));
        rejects(List.of(v(new Proposal.Add(a)), v(new Proposal.Add(bWithAsKey))),
                "§7.3: two proposals of the commit bring the same encryption_key");
    }

    @Test
    void pskIdsMustBeUniqueAndWellFormed() {
        rejects(List.of(v(psk("01")), v(psk("01"))), "§12.2: two PreSharedKey proposals reference the same");
        ok(List.of(v(psk("01")), v(psk("02"))));
        for (ResumptionPskUsage usage : List.of(ResumptionPskUsage.REINIT, ResumptionPskUsage.BRANCH)) {
            rejects(List.of(v(new Proposal.PreSharedKey(new PreSharedKeyId.ResumptionPsk(usage, Fixture.GROUP_ID, 2,
                    NONCE)))), "§12.1.4: a PreSharedKey proposal must not use a resumption PSK with usage");
        }
        ok(List.of(v(new Proposal.PreSharedKey(new PreSharedKeyId.ResumptionPsk(ResumptionPskUsage.APPLICATION,
                Fixture.GROUP_ID, 2, NONCE)))));
        rejects(List.of(v(new Proposal.PreSharedKey(new PreSharedKeyId.ExternalPsk(Bytes.fromHex("01"),
                Bytes.fromHex("0102"))))), "§12.1.4: psk_nonce has 2 bytes, must have KDF.Nh = 32");
    }

    @Test
    void atMostOneGroupContextExtensions() {
        Proposal gce = new Proposal.GroupContextExtensions(List.of());
        rejects(List.of(v(gce), ref(gce, member(1))), "§12.2: more than one GroupContextExtensions proposal");
    }

    @Test
    void reInitMustBeAloneAndNotDowngrade() {
        Proposal reinit = new Proposal.ReInit(Bytes.fromHex("99"), 1, f.suite, List.of());
        rejects(List.of(v(reinit), v(psk("01"))), "§12.2: a ReInit proposal must be the only proposal");
        rejects(List.of(v(new Proposal.ReInit(Bytes.fromHex("99"), 0, f.suite, List.of()))),
                "§12.1.5: ReInit to version 0, below the group's 1");
    }

    @Test
    void externalInitOnlyInExternalCommits() {
        rejects(List.of(v(externalInit())), "§12.1.6: a member may not send an ExternalInit proposal");
    }

    @Test
    void removeMustTargetAMember() {
        rejects(List.of(v(remove(9))), "§12.1.3: Remove of leaf 9, which is not a member");
        rejects(List.of(v(new Proposal.Remove(0xffffffffL))), "§12.1.3: Remove of leaf 4294967295");
        var tree = f.tree.removeLeaf(leaf(2));
        assertThatThrownBy(() -> validator.validate(List.of(v(remove(2))), COMMITTER, true, tree, f.context))
                .hasMessageContaining("§12.1.3: Remove of leaf 2, which is not a member");
    }

    @Test
    void proposalsAreValidatedIndividually() {
        // An Add whose KeyPackage signature is broken; an Update signed for another leaf.
        KeyPackage kp = f.keyPackage("x");
        rejects(List.of(v(new Proposal.Add(kp.withSignature(Bytes.fromHex("00"))))),
                "§10.1: the KeyPackage signature does not verify");
        rejects(List.of(ref(new Proposal.Update(f.sign(f.ids.get(1), f.updateLeaf(1), leaf(3))), member(1))),
                "§7.3: the signature of leaf 1 does not verify");
    }

    // ---- capabilities --------------------------------------------------------------------------

    @Test
    void groupContextExtensionsNeedEveryMembersSupport() {
        RequiredCapabilities req = new RequiredCapabilities(List.of(0xff00), List.of(), List.of());
        Proposal gce = new Proposal.GroupContextExtensions(List.of(req.toExtension()));
        rejects(List.of(v(gce)), "§12.1.7: the new required_capabilities require extension type 65280, which leaf 0");
        rejects(List.of(v(new Proposal.GroupContextExtensions(List.of(new Extension(0xff00, Bytes.EMPTY))))),
                "§13.4: GroupContext extension type 65280 is not supported by leaf 0");

        Fixture g = Fixture.group(f.suite, 3, f.caps(List.of(0xff00), List.of(), List.of()));
        assertThatCode(() -> validator.validate(List.of(ResolvedProposal.byValue(gce, COMMITTER)), COMMITTER, true,
                g.tree, g.context)).doesNotThrowAnyException();
        // An Add in the same commit must support it too: both as a GCE member and under the new context.
        Proposal addPlain = new Proposal.Add(g.keyPackage("plain"));
        assertThatThrownBy(() -> validator.validate(List.of(ResolvedProposal.byValue(gce, COMMITTER),
                ResolvedProposal.byValue(addPlain, COMMITTER)), COMMITTER, true, g.tree, g.context))
                .hasMessageContaining("§12.1.7").hasMessageContaining("Add #1");
        // A member lacking support is fine when the same commit removes it.
        Fixture mixed = Fixture.group(f.suite, 2, f.caps(List.of(0xff00), List.of(), List.of()));
        mixed.ids.add(mixed.identity("old"));
        mixed.tree = mixed.tree.addLeaf(mixed.keyPackage(mixed.ids.get(2), null).leafNode()).tree();
        mixed.context = mixed.contextWith(List.of());
        List<ResolvedProposal> withRemove = List.of(ResolvedProposal.byValue(gce, COMMITTER),
                ResolvedProposal.byValue(remove(2), COMMITTER));
        assertThatCode(() -> validator.validate(withRemove, COMMITTER, true, mixed.tree, mixed.context))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.validate(withRemove.subList(0, 1), COMMITTER, true, mixed.tree,
                mixed.context)).hasMessageContaining("leaf 2 does not support");
    }

    @Test
    void customProposalsNeedSupportFromStayingMembers() {
        Proposal custom = new Proposal.CustomProposal(0xf001, Bytes.fromHex("01"));
        rejects(List.of(v(custom)), "§12.2: proposal type 61441 is not supported by leaf 0");
        Fixture g = Fixture.group(f.suite, 2, f.caps(List.of(), List.of(0xf001), List.of()));
        assertThatCode(() -> validator.validate(List.of(ResolvedProposal.byValue(custom, COMMITTER)), COMMITTER, true,
                g.tree, g.context)).doesNotThrowAnyException();
        // A new member added by the same commit need not support it.
        assertThatCode(() -> validator.validate(List.of(ResolvedProposal.byValue(custom, COMMITTER),
                ResolvedProposal.byValue(new Proposal.Add(g.keyPackage("plain")), COMMITTER)), COMMITTER, true,
                g.tree, g.context)).doesNotThrowAnyException();
    }

    @Test
    void externalSendersInGroupContextExtensionsAreVetted() {
        SignatureIdentity bot = f.identity("");
        Proposal gce = new Proposal.GroupContextExtensions(List.of(ExternalSender.toExtension(
                List.of(new ExternalSender(bot.signaturePublicKey(), bot.credential())))));
        rejects(List.of(v(gce)), "§12.1.8.1: the credential validator rejects external sender");
        SignatureIdentity good = f.identity("bot");
        ok(List.of(v(new Proposal.GroupContextExtensions(List.of(ExternalSender.toExtension(
                List.of(new ExternalSender(good.signaturePublicKey(), good.credential()))))))));
    }

    // ---- senders --------------------------------------------------------------------------------

    @Test
    void senderTypesAreRestricted() {
        SignatureIdentity bot = f.identity("bot");
        GroupContext withBot = f.contextWith(List.of(ExternalSender.toExtension(
                List.of(new ExternalSender(bot.signaturePublicKey(), bot.credential())))));
        Sender external = new Sender.External(0);
        assertThatCode(() -> validator.validate(List.of(ref(add("new"), external), ref(remove(2), external)),
                COMMITTER, true, f.tree, withBot)).doesNotThrowAnyException();
        rejects(List.of(ref(update(1), external)), COMMITTER, true, withBot,
                "§12.1.8: an external sender may not send proposal type 2");
        rejects(List.of(ref(remove(2), new Sender.External(1))), COMMITTER, true, withBot,
                "§12.1.8.1: external sender index 1 is not in the group's external_senders (1 entries)");
        rejects(List.of(ref(remove(2), external)), COMMITTER, true, f.context,
                "§12.1.8.1: external sender index 0 is not in the group's external_senders (0 entries)");
        rejects(List.of(ref(remove(2), new Sender.NewMemberProposal())), COMMITTER, true, f.context,
                "§12.1.8: a new_member_proposal sender may only send an Add");
        ok(List.of(ref(add("joiner"), new Sender.NewMemberProposal())));
        rejects(List.of(ref(remove(2), member(7))), COMMITTER, true, f.context,
                "§12.1: the proposal's sender leaf 7 is not a member");
        rejects(List.of(ref(remove(2), EXTERNAL_COMMITTER)), COMMITTER, true, f.context,
                "§12.4.3.2: a new_member_commit sender cannot have sent a proposal by reference");
    }

    @Test
    void onlyMembersAndNewMembersCommit() {
        rejects(List.of(v(add("x"))), new Sender.External(0), true, f.context,
                "§12.4: an external sender may propose but not commit");
        rejects(List.of(v(add("x"))), new Sender.NewMemberProposal(), true, f.context,
                "§12.4: a new_member_proposal sender may propose but not commit");
        rejects(List.of(v(add("x"))), member(8), true, f.context, "§12.4: the committer leaf 8 is not a member");
    }

    // ---- external commits ---------------------------------------------------------------------

    @Test
    void externalCommitRules() {
        ok(List.of(ext(externalInit())), EXTERNAL_COMMITTER, true);
        ok(List.of(ext(psk("01")), ext(externalInit()), ext(remove(1)), ext(psk("02"))), EXTERNAL_COMMITTER, true);
        rejects(List.of(ext(externalInit())), EXTERNAL_COMMITTER, false, f.context,
                "§12.4.3.2: an external commit must have a path");
        rejects(List.of(ext(psk("01"))), EXTERNAL_COMMITTER, true, f.context,
                "§12.2: an external commit must contain exactly one ExternalInit, not 0");
        rejects(List.of(ext(externalInit()), ext(externalInit())), EXTERNAL_COMMITTER, true, f.context,
                "exactly one ExternalInit, not 2");
        rejects(List.of(ext(externalInit()), ext(remove(1)), ext(remove(2))), EXTERNAL_COMMITTER, true, f.context,
                "§12.2: an external commit may contain at most one Remove");
        rejects(List.of(ext(externalInit()), ext(add("x"))), EXTERNAL_COMMITTER, true, f.context,
                "§12.2: an external commit may contain only ExternalInit, Remove and PreSharedKey proposals, not "
                        + "proposal type 1");
        rejects(List.of(ext(externalInit()), ref(remove(1), member(1))), EXTERNAL_COMMITTER, true, f.context,
                "§12.4.3.2: an external commit must not cover proposals by reference");
        rejects(List.of(ext(externalInit()), ext(psk("01")), ext(psk("01"))), EXTERNAL_COMMITTER, true, f.context,
                "§12.2: two PreSharedKey proposals");
        rejects(List.of(ext(externalInit()), ext(remove(9))), EXTERNAL_COMMITTER, true, f.context, "§12.1.3");
    }

    // ---- single proposals on receipt -------------------------------------------------------------

    @Test
    void singleProposalsAreCheckedOnReceipt() throws Exception {
        validator.validateProposal(ref(update(1), member(1)), f.tree, f.context);
        validator.validateProposal(ref(add("new"), member(2)), f.tree, f.context);
        assertThatThrownBy(() -> validator.validateProposal(ref(remove(9), member(1)), f.tree, f.context))
                .hasMessageContaining("§12.1.3");
        assertThatThrownBy(() -> validator.validateProposal(ref(update(1), new Sender.NewMemberProposal()), f.tree,
                f.context)).hasMessageContaining("§12.1.8");
        assertThatThrownBy(() -> validator.validateProposal(ref(update(2), member(1)), f.tree, f.context))
                .hasMessageContaining("§7.3: the signature of leaf 1 does not verify");
    }

    @Test
    void manyAddsAreCheckedInParallelAndTheFirstBadOneIsReported() {
        List<ResolvedProposal> list = new java.util.ArrayList<>();
        for (int i = 0; i < 90; i++) {
            KeyPackage kp = f.keyPackage("many-" + i);
            if (i == 71) {
                byte[] sig = kp.signature().toByteArray();
                sig[3] ^= 1;
                kp = kp.withSignature(Bytes.wrap(sig));
            } else if (i == 80) {
                kp = new KeyPackage(kp.version(), kp.cipherSuite(), kp.leafNode().encryptionKey(), kp.leafNode(),
                        kp.extensions(), kp.signature());
            }
            list.add(v(new Proposal.Add(kp)));
        }
        for (int run = 0; run < 3; run++) {
            assertThatThrownBy(() -> validator.validate(list, COMMITTER, false, f.tree, f.context))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("the KeyPackage signature does not verify");
        }
        List<ResolvedProposal> good = new java.util.ArrayList<>(list.subList(0, 71));
        good.addAll(list.subList(72, 80));
        good.addAll(list.subList(81, 90));
        assertThatCode(() -> validator.validate(good, COMMITTER, false, f.tree, f.context)).doesNotThrowAnyException();
    }
}
