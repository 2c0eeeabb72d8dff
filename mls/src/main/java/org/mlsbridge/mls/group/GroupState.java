package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreePrivateKeys;

/**
 * One member's state of a group in one epoch: the GroupContext, the public ratchet tree, its
 * own leaf and private tree keys, its signature key, the epoch secrets, the interim transcript
 * hash, the proposals received in this epoch, and a window of earlier epochs' receiving keys.
 *
 * <p>Immutable, with one deliberate exception: the epoch's {@link SecretTree} consumes a key
 * per message sent or received (RFC 9420 §9.2 requires the keys to be deleted), so it is shared
 * by every state of the same epoch and only ever moves forward. Caching a proposal yields a new
 * state; a commit yields the next epoch's state (see {@link StagedCommit}), built by
 * {@link EpochSuccession} for receivers and committers alike.
 *
 * <p>Confinement: a state and the states derived from it belong to one thread at a time (the
 * {@link MlsGroup} that holds them).
 */
public final class GroupState {
    private final SuiteCrypto crypto;
    private final GroupContext context;
    private final RatchetTree tree;
    private final LeafIndex ownLeaf;
    private final TreePrivateKeys privateKeys;
    private final Secret signaturePrivateKey;
    private final EpochSecrets epochSecrets;
    private final SecretTree secretTree;
    private final Bytes confirmationTag;
    private final Bytes interimTranscriptHash;
    private final Map<Bytes, CachedProposal> proposals;
    private final List<PastEpoch> pastEpochs;
    private final List<EpochPsk> resumptionPsks;
    private final Optional<Proposal.ReInit> pendingReInit;

    /** Every field as given; the lists and map are copied. */
    GroupState(SuiteCrypto crypto, GroupContext context, RatchetTree tree, LeafIndex ownLeaf,
            TreePrivateKeys privateKeys, Secret signaturePrivateKey, EpochSecrets epochSecrets, SecretTree secretTree,
            Bytes confirmationTag, Bytes interimTranscriptHash, Map<Bytes, CachedProposal> proposals,
            List<PastEpoch> pastEpochs, List<EpochPsk> resumptionPsks, Optional<Proposal.ReInit> pendingReInit) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.context = Objects.requireNonNull(context, "context");
        this.tree = Objects.requireNonNull(tree, "tree");
        this.ownLeaf = Objects.requireNonNull(ownLeaf, "ownLeaf");
        this.privateKeys = Objects.requireNonNull(privateKeys, "privateKeys");
        this.signaturePrivateKey = Objects.requireNonNull(signaturePrivateKey, "signaturePrivateKey");
        this.epochSecrets = Objects.requireNonNull(epochSecrets, "epochSecrets");
        this.secretTree = Objects.requireNonNull(secretTree, "secretTree");
        this.confirmationTag = Objects.requireNonNull(confirmationTag, "confirmationTag");
        this.interimTranscriptHash = Objects.requireNonNull(interimTranscriptHash, "interimTranscriptHash");
        this.proposals = Collections.unmodifiableMap(new LinkedHashMap<>(proposals));
        this.pastEpochs = List.copyOf(pastEpochs);
        this.resumptionPsks = List.copyOf(resumptionPsks);
        this.pendingReInit = Objects.requireNonNull(pendingReInit, "pendingReInit");
        if (context.cipherSuite() != crypto.suite()) {
            throw new IllegalArgumentException("context is for " + context.cipherSuite() + ", crypto for "
                    + crypto.suite());
        }
        if (tree.leaf(ownLeaf).isEmpty()) {
            throw new IllegalArgumentException("own " + ownLeaf + " is blank in the tree");
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    public SuiteCrypto crypto() {
        return crypto;
    }

    public CipherSuite cipherSuite() {
        return crypto.suite();
    }

    public GroupContext context() {
        return context;
    }

    public Bytes groupId() {
        return context.groupId();
    }

    /** Unsigned 64-bit. */
    public long epoch() {
        return context.epoch();
    }

    public RatchetTree tree() {
        return tree;
    }

    public LeafIndex ownLeaf() {
        return ownLeaf;
    }

    public LeafNode ownLeafNode() {
        return tree.leaf(ownLeaf).orElseThrow();
    }

    public Credential ownCredential() {
        return ownLeafNode().credential();
    }

    public TreePrivateKeys privateKeys() {
        return privateKeys;
    }

    public Secret signaturePrivateKey() {
        return signaturePrivateKey;
    }

    public EpochSecrets epochSecrets() {
        return epochSecrets;
    }

    /** The epoch's secret tree; mutable (see the class comment). */
    public SecretTree secretTree() {
        return secretTree;
    }

    /** The confirmation tag of the commit (or GroupInfo) that started this epoch. */
    public Bytes confirmationTag() {
        return confirmationTag;
    }

    public Bytes interimTranscriptHash() {
        return interimTranscriptHash;
    }

    /** The epoch authenticator (RFC 9420 §8.7), a public copy. */
    public Bytes epochAuthenticator() {
        return Bytes.wrap(epochSecrets.epochAuthenticator().copy());
    }

    /** Proposals received in this epoch, by ProposalRef, in arrival order. */
    public Map<Bytes, CachedProposal> proposals() {
        return proposals;
    }

    /** Receiving keys of earlier epochs, newest first. */
    public List<PastEpoch> pastEpochs() {
        return pastEpochs;
    }

    public Optional<PastEpoch> pastEpoch(long epoch) {
        return pastEpochs.stream().filter(p -> p.epoch() == epoch).findFirst();
    }

    /** Resumption PSKs of earlier epochs, newest first. */
    public List<EpochPsk> resumptionPsks() {
        return resumptionPsks;
    }

    /** The resumption_psk of {@code epoch} of this group, if this state still has it. */
    public Optional<Secret> resumptionPsk(long epoch) {
        if (epoch == context.epoch()) {
            return Optional.of(epochSecrets.resumptionPsk());
        }
        return resumptionPsks.stream().filter(p -> p.epoch() == epoch).map(EpochPsk::psk).findFirst();
    }

    /** Set once a commit with a ReInit proposal was merged: the group must not be used further (§11.2). */
    public Optional<Proposal.ReInit> pendingReInit() {
        return pendingReInit;
    }

    // ---- deriving --------------------------------------------------------------------------

    /** This state with one more cached proposal. */
    public GroupState withProposal(CachedProposal proposal) {
        Map<Bytes, CachedProposal> more = new LinkedHashMap<>(proposals);
        more.put(proposal.ref(), proposal);
        return new GroupState(crypto, context, tree, ownLeaf, privateKeys, signaturePrivateKey, epochSecrets,
                secretTree, confirmationTag, interimTranscriptHash, more, pastEpochs, resumptionPsks, pendingReInit);
    }

    /** This state with other private tree keys (e.g. the key of this member's own Update once committed). */
    GroupState withPrivateKeys(TreePrivateKeys keys) {
        return new GroupState(crypto, context, tree, ownLeaf, keys, signaturePrivateKey, epochSecrets,
                secretTree, confirmationTag, interimTranscriptHash, proposals, pastEpochs, resumptionPsks, pendingReInit);
    }

    /**
     * This state with other secret trees: {@code current} for this epoch and {@code past} for the
     * past epochs, in the order of {@link #pastEpochs()}. Used to restore ratchet positions saved
     * apart from the rest of the state ({@link GroupRatchets}).
     */
    GroupState withSecretTrees(SecretTree current, List<SecretTree> past) {
        if (past.size() != pastEpochs.size()) {
            throw new IllegalArgumentException(past.size() + " past secret trees for " + pastEpochs.size()
                    + " past epochs");
        }
        List<PastEpoch> epochs = new ArrayList<>(past.size());
        for (int i = 0; i < past.size(); i++) {
            PastEpoch p = pastEpochs.get(i);
            epochs.add(new PastEpoch(p.context(), p.tree(), past.get(i), p.senderDataSecret()));
        }
        return new GroupState(crypto, context, tree, ownLeaf, privateKeys, signaturePrivateKey, epochSecrets,
                current, confirmationTag, interimTranscriptHash, proposals, epochs, resumptionPsks, pendingReInit);
    }

    /** This state with no cached proposals. */
    public GroupState withoutProposals() {
        return new GroupState(crypto, context, tree, ownLeaf, privateKeys, signaturePrivateKey, epochSecrets,
                secretTree, confirmationTag, interimTranscriptHash, Map.of(), pastEpochs, resumptionPsks, pendingReInit);
    }

    /**
     * Wipes what this state holds and {@code next} no longer does: called once {@code next}
     * (its successor) is merged. The signature key and shared key pairs survive.
     */
    void retireInFavourOf(GroupState next) {
        Set<Object> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        next.pastEpochs.forEach(p -> kept.add(p.secretTree()));
        next.pastEpochs.forEach(p -> kept.add(p.senderDataSecret()));
        next.resumptionPsks.forEach(p -> kept.add(p.psk()));
        for (NodeIndex n : next.privateKeys.nodes()) {
            kept.add(next.privateKeys.get(n).orElseThrow().privateKey());
        }
        if (next.epochSecrets != epochSecrets) {
            epochSecrets.destroy();
        }
        if (next.secretTree != secretTree && !kept.contains(secretTree)) {
            secretTree.destroy();
        }
        for (PastEpoch p : pastEpochs) {
            if (!kept.contains(p.secretTree())) {
                p.destroy();
            }
        }
        for (EpochPsk p : resumptionPsks) {
            if (!kept.contains(p.psk())) {
                p.psk().destroy();
            }
        }
        for (NodeIndex n : privateKeys.nodes()) {
            HpkeKeyPair pair = privateKeys.get(n).orElseThrow();
            if (!kept.contains(pair.privateKey())) {
                pair.privateKey().destroy();
            }
        }
    }

    /** The window of past epochs after this epoch ends, at most {@code keep} long. */
    List<PastEpoch> pastEpochsAfter(int keep) {
        if (keep == 0) {
            return List.of();
        }
        List<PastEpoch> out = new ArrayList<>(keep);
        out.add(new PastEpoch(context, tree, secretTree, Secret.wrap(epochSecrets.senderDataSecret().copy())));
        for (int i = 0; i < pastEpochs.size() && out.size() < keep; i++) {
            out.add(pastEpochs.get(i));
        }
        return out;
    }

    /** The resumption PSKs after this epoch ends, at most {@code keep}. */
    List<EpochPsk> resumptionPsksAfter(int keep) {
        if (keep == 0) {
            return List.of();
        }
        List<EpochPsk> out = new ArrayList<>(keep);
        out.add(new EpochPsk(context.epoch(), Secret.wrap(epochSecrets.resumptionPsk().copy())));
        for (int i = 0; i < resumptionPsks.size() && out.size() < keep; i++) {
            out.add(resumptionPsks.get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        return "GroupState[group " + context.groupId() + ", epoch " + Long.toUnsignedString(context.epoch()) + ", "
                + ownLeaf + ", " + tree + "]";
    }
}
