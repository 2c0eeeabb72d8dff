package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.EpochTransition;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreePrivateKeys;

/**
 * The transition from one epoch to the next (RFC 9420 §8, §12.4), shared by members who
 * receive a commit and the member who creates it, so both compute the same state:
 * {@link #provisionalContext} (the context UpdatePath secrets are encrypted to), then
 * {@link #derive} (new GroupContext and key schedule), then — once the confirmation tag is known
 * or checked — {@link #successor}.
 */
public final class EpochSuccession {
    private EpochSuccession() {
    }

    /** The new epoch's context and secrets, before its confirmation tag is checked or made. */
    public record NextEpoch(GroupContext context, EpochTransition transition) {
        public EpochSecrets epochSecrets() {
            return transition.epochSecrets();
        }
    }

    /**
     * §12.4.1: the GroupContext with the new epoch, tree hash and extensions but still the old
     * confirmed transcript hash; the context of the UpdatePath encryption.
     */
    public static GroupContext provisionalContext(GroupState current, RatchetTree newTree,
            List<Extension> newExtensions) {
        GroupContext c = current.context();
        return new GroupContext(c.version(), c.cipherSuite(), c.groupId(), c.epoch() + 1, newTree.treeHash(),
                c.confirmedTranscriptHash(), newExtensions);
    }

    /**
     * The new GroupContext (with the confirmed transcript hash that includes {@code commit}) and
     * every secret of the new epoch. The inputs are not destroyed.
     *
     * @param initSecret the current epoch's init_secret, or the one from an ExternalInit (§8.3)
     * @param commitSecret from the UpdatePath, or zero without one
     * @param pskSecret from the commit's PreSharedKey proposals (§8.4), or zero
     */
    public static NextEpoch derive(GroupState current, RatchetTree newTree, List<Extension> newExtensions,
            AuthenticatedContent commit, Secret initSecret, Secret commitSecret, Secret pskSecret) {
        SuiteCrypto crypto = current.crypto();
        Bytes confirmed = TranscriptHashes.confirmedAfter(crypto, current.interimTranscriptHash(), commit);
        GroupContext c = current.context();
        GroupContext next = new GroupContext(c.version(), c.cipherSuite(), c.groupId(), c.epoch() + 1,
                newTree.treeHash(), confirmed, newExtensions);
        EpochTransition t = new KeySchedule(crypto).nextEpoch(initSecret, commitSecret, pskSecret, next);
        return new NextEpoch(next, t);
    }

    /**
     * The state of the new epoch: its secret tree is created (and encryption_secret wiped,
     * §9.2), the interim transcript hash follows from the confirmation tag, and the windows of
     * past epochs move on by one. {@code current} is left untouched; {@link GroupState#retireInFavourOf}
     * wipes it once the new state is merged.
     */
    public static GroupState successor(GroupState current, NextEpoch next, RatchetTree tree, LeafIndex ownLeaf,
            TreePrivateKeys privateKeys, Bytes confirmationTag, Optional<Proposal.ReInit> reInit, GroupConfig config) {
        return new GroupState(current.crypto(), next.context(), tree, ownLeaf, privateKeys,
                current.signaturePrivateKey(), next.epochSecrets(),
                secretTree(current.crypto(), next.epochSecrets(), tree, config), confirmationTag,
                TranscriptHashes.interimAfter(current.crypto(), next.context().confirmedTranscriptHash(),
                        confirmationTag),
                Map.of(), current.pastEpochsAfter(config.pastEpochsKept()),
                current.resumptionPsksAfter(config.resumptionPsksKept()), reInit);
    }

    /** The first state of a member: the creator of a group, or a member who joined (§11, §12.4.3). */
    public static GroupState initial(SuiteCrypto crypto, GroupContext context, RatchetTree tree, LeafIndex ownLeaf,
            TreePrivateKeys privateKeys, Secret signaturePrivateKey, EpochSecrets epochSecrets, Bytes confirmationTag,
            GroupConfig config) {
        return new GroupState(crypto, context, tree, ownLeaf, privateKeys, signaturePrivateKey, epochSecrets,
                secretTree(crypto, epochSecrets, tree, config), confirmationTag,
                TranscriptHashes.interimAfter(crypto, context.confirmedTranscriptHash(), confirmationTag), Map.of(),
                List.of(), List.of(), Optional.empty());
    }

    private static SecretTree secretTree(SuiteCrypto crypto, EpochSecrets secrets, RatchetTree tree,
            GroupConfig config) {
        SecretTree st = new SecretTree(crypto, secrets.encryptionSecret(), tree.leafCount(), config.secretTree());
        secrets.encryptionSecret().destroy();
        return st;
    }
}
