package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.InactiveGroupException;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.ResumptionPskUsage;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.storage.StorageException;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * One member's view of one MLS group (RFC 9420): create or join it, send and receive.
 *
 * <p>Sending: {@link #create}, {@link #propose}/{@link #proposeUpdate}, {@link #commit} (the
 * result is pending until the delivery service echoes the commit back, or
 * {@link #mergePendingCommit}), {@link #encrypt}, {@link #groupInfo}; joining by Welcome
 * ({@link #join}, {@link #joinFromStorage}) or external commit ({@link #joinByExternalCommit});
 * {@link #reinitialize} and {@link #branch}. The committer's next state is computed by the same
 * code as the receivers' ({@link ProposalApplier}, {@link EpochSuccession}).
 *
 * <p>{@link #process} authenticates an incoming message and returns what it was: application
 * data, a proposal (cached for this epoch), or a {@link StagedCommit}, which changes nothing
 * until {@link #merge} is called. A message that fails any check throws an
 * {@link MlsException} naming the RFC rule and leaves the group exactly as it was, so the next
 * good message is processed normally.
 *
 * <p>Not thread-safe: a group is confined to one thread at a time (e.g. the virtual thread of
 * its room). Hand it over between threads only with a happens-before edge (a queue, a lock).
 */
public final class MlsGroup {
    private final GroupConfig config;
    private final MessageProcessor processor;
    private final PskLookup psks;
    private final SecureRandom random = new SecureRandom();
    private final OwnMessages own = new OwnMessages();
    private GroupState state;
    private boolean removed;
    /** Where this group saves itself before every call that changed it returns; empty: saved by hand. */
    private Optional<MlsStorage> storage = Optional.empty();
    /** A save failed after the state had moved on: this object is ahead of storage and must not be used. */
    private boolean unsaved;

    private MlsGroup(GroupState state, GroupConfig config, PskLookup psks) {
        this.state = Objects.requireNonNull(state, "state");
        this.config = Objects.requireNonNull(config, "config");
        this.psks = Objects.requireNonNull(psks, "psks");
        this.processor = new MessageProcessor(config, psks);
    }

    /**
     * Creates a one-member group at epoch 0 (§11) with a random group id.
     *
     * @param extensions GroupContext extensions, e.g. required_capabilities, external_senders
     */
    public static MlsGroup create(SignatureIdentity creator, List<Extension> extensions, GroupConfig config,
            PskLookup psks) throws MlsException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return create(creator, Bytes.wrap(id), extensions, config, psks);
    }

    /** Creates a one-member group at epoch 0 (§11) with the given group id. */
    public static MlsGroup create(SignatureIdentity creator, Bytes groupId, List<Extension> extensions,
            GroupConfig config, PskLookup psks) throws MlsException {
        GroupState s = new GroupCreator(config, new SecureRandom()).create(creator, groupId, extensions,
                Optional.empty());
        return new MlsGroup(s, config, psks);
    }

    /** Joins from a Welcome whose GroupInfo carries the ratchet tree (§12.4.3.1). */
    public static MlsGroup join(Welcome welcome, JoinKeys keys, GroupConfig config, PskLookup psks)
            throws MlsException {
        return join(welcome, keys, Optional.empty(), config, psks);
    }

    /** Joins from a Welcome, with the ratchet tree given out of band when the GroupInfo lacks it. */
    public static MlsGroup join(Welcome welcome, JoinKeys keys, Optional<List<Optional<Node>>> tree,
            GroupConfig config, PskLookup psks) throws MlsException {
        return new MlsGroup(new WelcomeJoiner(config, psks).join(welcome, keys, tree), config, psks);
    }

    /**
     * Joins from a Welcome for one of the KeyPackages kept in {@code storage} (§12.4.3.1): its
     * bundle is consumed (deleted unless last_resort) and the new group state saved, in one
     * storage transaction; the init private key is wiped once used. The group is bound to
     * {@code storage} ({@link #persistIn}).
     */
    public static MlsGroup joinFromStorage(Welcome welcome, MlsStorage storage, SignatureIdentity identity,
            Optional<List<Optional<Node>>> tree, GroupConfig config, PskLookup psks) throws MlsException {
        Bytes ref = welcome.secrets().stream().map(EncryptedGroupSecrets::newMember)
                .filter(r -> storage.loadKeyPackage(r).isPresent()).findFirst()
                .orElseThrow(() -> new ValidationException(FailureReason.NOT_FOR_US,
                        "RFC 9420 §12.4.3.1: the Welcome is for none of our "
                        + "KeyPackages"));
        return storage.atomically(() -> {
            KeyPackageBundle bundle = storage.consumeKeyPackage(ref).orElseThrow();
            try {
                MlsGroup group = join(welcome, JoinKeys.of(bundle, identity), tree, config, psks);
                group.persistIn(storage);
                return group;
            } finally {
                bundle.initPrivateKey().destroy();
            }
        });
    }

    /**
     * Joins by external commit (§12.4.3.2) from a GroupInfo with external_pub; with
     * {@code resync}, an existing member rejoins and its old leaf is removed in the same commit.
     *
     * @param tree the ratchet tree when the GroupInfo lacks the extension
     */
    public static ExternalJoin joinByExternalCommit(GroupInfo info, Optional<List<Optional<Node>>> tree,
            SignatureIdentity identity, Optional<LeafIndex> resync, Bytes authenticatedData, GroupConfig config,
            PskLookup psks) throws MlsException {
        return joinByExternalCommit(info, tree, identity, resync, List.of(), authenticatedData, config, psks);
    }

    /**
     * As {@link #joinByExternalCommit(GroupInfo, Optional, SignatureIdentity, Optional, Bytes, GroupConfig,
     * PskLookup)}, injecting the external PSKs named by {@code externalPsks} (their values from
     * {@code psks}) with PreSharedKey proposals in the commit; the members must know them too.
     */
    public static ExternalJoin joinByExternalCommit(GroupInfo info, Optional<List<Optional<Node>>> tree,
            SignatureIdentity identity, Optional<LeafIndex> resync, List<Bytes> externalPsks,
            Bytes authenticatedData, GroupConfig config, PskLookup psks) throws MlsException {
        SecureRandom random = new SecureRandom();
        ExternalCommitter.Joined joined = new ExternalCommitter(config, random).join(info, tree, identity, resync,
                externalPsks, psks, authenticatedData);
        MlsGroup group = new MlsGroup(joined.state(), config, psks);
        group.own.recordSent(joined.commit(), ContentType.COMMIT, info.groupContext().epoch());
        return new ExternalJoin(joined.commit(), group);
    }

    /** Joins the group a merged ReInit of {@code old} announced (§11.2); it must match the ReInit. */
    public static MlsGroup joinReInit(Welcome welcome, JoinKeys keys, MlsGroup old, GroupConfig config,
            PskLookup psks) throws MlsException {
        return joinReInit(welcome, keys, Optional.empty(), old, config, psks);
    }

    /** As {@link #joinReInit(Welcome, JoinKeys, MlsGroup, GroupConfig, PskLookup)}, with the tree out of band. */
    public static MlsGroup joinReInit(Welcome welcome, JoinKeys keys, Optional<List<Optional<Node>>> tree,
            MlsGroup old, GroupConfig config, PskLookup psks) throws MlsException {
        Proposal.ReInit reInit = old.state.pendingReInit().orElseThrow(() -> new IllegalStateException(
                "the old group has no merged ReInit"));
        MlsGroup group = joinResumed(welcome, keys, tree, old, config, psks);
        GroupResumption.checkMatchesReInit(reInit, group.state.context());
        return group;
    }

    /** Joins a subgroup branched from {@code old} (§11.3). */
    public static MlsGroup joinBranch(Welcome welcome, JoinKeys keys, MlsGroup old, GroupConfig config,
            PskLookup psks) throws MlsException {
        return joinBranch(welcome, keys, Optional.empty(), old, config, psks);
    }

    /** As {@link #joinBranch(Welcome, JoinKeys, MlsGroup, GroupConfig, PskLookup)}, with the tree out of band. */
    public static MlsGroup joinBranch(Welcome welcome, JoinKeys keys, Optional<List<Optional<Node>>> tree,
            MlsGroup old, GroupConfig config, PskLookup psks) throws MlsException {
        return joinResumed(welcome, keys, tree, old, config, psks);
    }

    /** The old group's resumption PSK is needed for the join only; the new group keeps {@code psks}. */
    private static MlsGroup joinResumed(Welcome welcome, JoinKeys keys, Optional<List<Optional<Node>>> tree,
            MlsGroup old, GroupConfig config, PskLookup psks) throws MlsException {
        GroupState s = new WelcomeJoiner(config, ResumptionLookup.of(old.state, psks)).join(welcome, keys, tree);
        return new MlsGroup(s, config, psks);
    }

    /**
     * Continues from a state the application saved by hand (see {@link GroupStateCodec}); the
     * group is not bound to a storage. Restoring an old copy after the group sent or read more
     * messages reuses ratchet keys: prefer {@link #load} of a group bound with {@link #persistIn}.
     */
    public static MlsGroup resume(GroupState state, GroupConfig config, PskLookup psks) {
        return new MlsGroup(state, config, psks);
    }

    /**
     * Loads the group saved in {@code storage} under {@code groupId}, bound to that storage
     * ({@link #persistIn}); empty if none is stored.
     *
     * @throws StorageException the stored state does not decode
     */
    public static Optional<MlsGroup> load(MlsStorage storage, Bytes groupId, GroupConfig config, PskLookup psks) {
        Optional<byte[]> stored = storage.loadGroupState(groupId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        byte[] encoded = stored.get();
        try {
            GroupState state = GroupRatchets.restore(storage, GroupStateCodec.decode(encoded, config), config);
            MlsGroup group = new MlsGroup(state, config, psks);
            group.storage = Optional.of(storage);
            return Optional.of(group);
        } catch (DecodeException e) {
            throw new StorageException("stored state of group " + groupId + " does not decode", e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * Saves the group in {@code storage} now and binds it there: from then on every call that
     * moves its state (encrypt, process, propose, commit, merge) saves the new state inside
     * {@link MlsStorage#atomically} before it returns (only its ratchets, {@link GroupRatchets},
     * when nothing else moved and the storage keeps them apart), so a group loaded from that storage never
     * sends with a ratchet generation it may already have used, and never accepts a message
     * twice. A merged commit that removes this member deletes the stored state. If the storage's
     * atomic unit joins an outer transaction, hand what the group returned to the network only
     * through that transaction (an outbox in the same database) or after it commits.
     */
    public void persistIn(MlsStorage target) {
        requireSaved();
        Objects.requireNonNull(target, "storage");
        save(target);
        storage = Optional.of(target);
    }

    /** Whether the group saves itself ({@link #persistIn}, {@link #load}). */
    public boolean isPersisted() {
        return storage.isPresent();
    }

    /** One state-changing call: in a bound group, it and the save of its result are one storage unit. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws MlsException;
    }

    private <T> T persisted(Step<T> step) throws MlsException {
        requireSaved();
        if (storage.isEmpty()) {
            return step.run();
        }
        MlsStorage target = storage.get();
        boolean[] moved = {false};
        GroupState before = state;
        try {
            return target.atomically(() -> {
                T result = step.run();
                moved[0] = true;
                if (removed) {
                    target.deleteGroupState(state.groupId());
                } else if (state != before || !GroupRatchets.save(target, state)) {
                    // a new state object means more than the ratchets moved (see GroupState);
                    // a storage that keeps no ratchets apart is given the whole state every time
                    save(target);
                }
                return result;
            });
        } catch (RuntimeException e) {
            // The state moved in memory but storage has the old one: using this object further
            // could diverge from what a restart loads, so it refuses; load the group again.
            unsaved |= moved[0];
            throw e;
        }
    }

    private void save(MlsStorage target) {
        GroupStateCodec.save(target, state);
    }

    /** False once a save failed after the state moved on (the object is then ahead of storage). */
    boolean isUsable() {
        return !unsaved;
    }

    private void requireSaved() {
        if (unsaved) {
            throw new IllegalStateException("saving this group failed after its state moved on: load it again "
                    + "from storage");
        }
    }

    public GroupState state() {
        return state;
    }

    public GroupConfig config() {
        return config;
    }

    public Bytes groupId() {
        return state.groupId();
    }

    public long epoch() {
        return state.epoch();
    }

    public Bytes epochAuthenticator() {
        return state.epochAuthenticator();
    }

    /** This member's leaf in the current epoch. */
    public LeafIndex ownLeaf() {
        return state.ownLeaf();
    }

    /**
     * The ratchet tree of the current epoch (§12.4.3.3), for joiners who get it out of band
     * (commits made without {@link CommitOptions#withRatchetTreeInGroupInfo}); its
     * {@code encode()} is the wire form, {@link RatchetTreeExtension#decode} reads it back.
     */
    public RatchetTreeExtension ratchetTree() {
        return state.tree().toExtension();
    }

    /** The current members, in leaf order, with their credentials ({@link Member#identity()}). */
    public List<Member> members() {
        List<Member> out = new java.util.ArrayList<>();
        state.tree().forEachLeaf((leaf, node) -> out.add(new Member(leaf, node.credential(), node.signatureKey())));
        return out;
    }

    /**
     * False once a merged commit removed this member or reinitialized the group: after a ReInit no
     * more messages or proposals are sent in it (§11.2), only {@link #reinitialize} or
     * {@link #joinReInit} move on to the new group.
     */
    public boolean isActive() {
        return !removed && state.pendingReInit().isEmpty();
    }

    /** MLS-Exporter (§8.5) of the current epoch. */
    public Secret export(String label, byte[] context, int length) {
        return state.epochSecrets().export(label, context, length);
    }

    /**
     * Processes one message of this group. Proposals are cached at once; commits are staged.
     *
     * @throws InactiveGroupException this member was removed or the group reinitialized
     * @throws MlsException the message is malformed, not for this group or epoch, not
     *     authentic, or breaks a rule ({@link MlsException#reason()} says which); the group is
     *     unchanged
     */
    public ProcessedMessage process(MlsMessage message) throws MlsException {
        requireActive();
        requireSaved();
        Optional<ProcessedMessage> echo = own.recognise(message);
        if (echo.isPresent()) {
            return echo.get();
        }
        return persisted(() -> {
            MessageProcessor.Outcome outcome = processor.process(state, message, own::updateKey);
            state = outcome.state();
            return outcome.message();
        });
    }

    /**
     * Moves to the epoch a staged commit computed; the previous epoch's secrets are wiped except
     * the receiving keys kept for late messages ({@link GroupConfig#pastEpochsKept()}).
     *
     * @throws IllegalStateException the commit was staged for another epoch or group
     */
    public void merge(StagedCommit commit) {
        if (removed) {
            throw new IllegalStateException("this member was removed from the group");
        }
        requireSaved();
        if (!commit.groupId().equals(state.groupId()) || commit.epoch() != state.epoch()) {
            throw new IllegalStateException("staged commit is for epoch " + Long.toUnsignedString(commit.epoch())
                    + " but the group is at epoch " + Long.toUnsignedString(state.epoch()));
        }
        try {
            persisted(() -> {
                mergeInMemory(commit);
                return null;
            });
        } catch (MlsException e) {
            throw new IllegalStateException("merging cannot fail on the protocol level", e);
        }
    }

    private void mergeInMemory(StagedCommit commit) {
        own.clearPending(Optional.of(commit), state);
        if (commit.next().isEmpty()) {
            own.clearUpdateKeys(Optional.empty());
            removed = true;
            return;
        }
        GroupState next = commit.next().get();
        own.clearUpdateKeys(Optional.of(next.ownLeafNode().encryptionKey()));
        state.retireInFavourOf(next);
        state = next;
    }

    // ---- sending ---------------------------------------------------------------------------

    /**
     * Sends a proposal (§12.1) in the configured handshake wire format and caches it for this
     * member's own later commit. For Update use {@link #proposeUpdate}.
     *
     * @throws MlsException the proposal would be rejected by the members (e.g. an Add of a
     *     KeyPackage that fails §10.1, or of an existing member); the group is unchanged
     */
    public SentProposal propose(Proposal proposal, Bytes authenticatedData) throws MlsException {
        requireActive();
        if (proposal instanceof Proposal.Update) {
            throw new IllegalArgumentException("use proposeUpdate(), which keeps the new leaf's private key");
        }
        return persisted(() -> sendProposal(proposal, authenticatedData));
    }

    public SentProposal propose(Proposal proposal) throws MlsException {
        return propose(proposal, Bytes.EMPTY);
    }

    /** §12.1.2: proposes a fresh leaf encryption key; its private key is kept until the epoch ends. */
    public SentProposal proposeUpdate() throws MlsException {
        requireActive();
        HpkeKeyPair key = state.crypto().generateHpkeKeyPair();
        return persisted(() -> {
            SentProposal sent = sendProposal(new Proposal.Update(Proposer.updatedLeaf(state, key)), Bytes.EMPTY);
            own.addUpdateKey(key);
            return sent;
        });
    }

    private SentProposal sendProposal(Proposal proposal, Bytes authenticatedData) throws MlsException {
        if (state.pendingReInit().isPresent()) {
            throw new InactiveGroupException("RFC 9420 §11.2: the group was reinitialized; no more proposals");
        }
        Proposer.Proposed p = Proposer.propose(state, proposal, authenticatedData, config, random);
        state = p.state();
        own.recordSent(p.sent().message(), ContentType.PROPOSAL, state.epoch());
        return p.sent();
    }

    /**
     * Creates a commit (§12.4.1). The group stays in this epoch: merge the result when the
     * delivery service echoes the commit back ({@link #process} returns {@link CommitOutput#pending}),
     * or with {@link #mergePendingCommit}; if another commit for this epoch wins, merging that one
     * discards ours (or call {@link #clearPendingCommit}).
     *
     * @throws InactiveGroupException this member was removed or the group reinitialized
     * @throws MlsException the proposals break a rule of §12.2 (or a PSK is unknown); the group is unchanged
     * @throws IllegalStateException a commit is already pending
     */
    public CommitOutput commit(CommitOptions options) throws MlsException {
        return commit(options, List.of());
    }

    CommitOutput commit(CommitOptions options, List<PreSharedKeyId> extraPsks) throws MlsException {
        return commit(options, extraPsks, psks);
    }

    /** With PSK values from {@code lookup} (a ReInit or branch needs the old group's). */
    CommitOutput commit(CommitOptions options, List<PreSharedKeyId> extraPsks, PskLookup lookup)
            throws MlsException {
        requireActive();
        if (own.pendingCommit().isPresent()) {
            throw new IllegalStateException("a commit for epoch " + Long.toUnsignedString(state.epoch())
                    + " is already pending: merge or clear it first");
        }
        return persisted(() -> {
            CommitOutput out = new CommitBuilder(config, lookup, random).build(state, options, extraPsks);
            own.setPending(out.commit(), out.pending());
            return out;
        });
    }

    /**
     * Commits and moves to the new epoch at once (in a bound group: one storage unit), for a
     * delivery service that accepts every commit in the order sent, or a single committer. With
     * competing committers use {@link #commit} and merge on the echo, so that the delivery
     * service's order decides.
     *
     * @throws MlsException as {@link #commit}; the group is unchanged
     */
    public CommitOutput commitAndMerge(CommitOptions options) throws MlsException {
        requireActive();
        if (own.pendingCommit().isPresent()) {
            throw new IllegalStateException("a commit for epoch " + Long.toUnsignedString(state.epoch())
                    + " is already pending: merge or clear it first");
        }
        return persisted(() -> {
            CommitOutput out = new CommitBuilder(config, psks, random).build(state, options, List.of());
            own.setPending(out.commit(), out.pending());
            mergeInMemory(out.pending());
            return out;
        });
    }

    /** The commit created by {@link #commit} and not yet merged or cleared. */
    public Optional<StagedCommit> pendingCommit() {
        return own.pendingCommit();
    }

    /** Moves to the epoch of the pending commit, without waiting for its echo. */
    public void mergePendingCommit() {
        merge(own.pendingCommit().orElseThrow(() -> new IllegalStateException("no pending commit")));
    }

    /** Drops the pending commit (another commit won this epoch) and wipes what it derived. */
    public void clearPendingCommit() {
        own.clearPending(Optional.empty(), state);
    }

    /**
     * Encrypts application data as a PrivateMessage (§6.3) with the configured padding. Its
     * echo from the delivery service is recognised ({@link OwnMessage}), not decrypted.
     */
    public MlsMessage encrypt(Bytes data, Bytes authenticatedData) throws MlsException {
        requireActive();
        if (state.pendingReInit().isPresent()) {
            throw new InactiveGroupException("RFC 9420 §11.2: the group was reinitialized; no more messages");
        }
        return persisted(() -> {
            var content = OwnFraming.sign(state, WireFormat.PRIVATE_MESSAGE,
                    OwnFraming.content(state, authenticatedData, new Content.Application(data)));
            MlsMessage m = OwnFraming.protect(state, content, config, random);
            own.recordSent(m, ContentType.APPLICATION, state.epoch());
            return m;
        });
    }

    public MlsMessage encrypt(byte[] data) throws MlsException {
        return encrypt(Bytes.of(data), Bytes.EMPTY);
    }

    /** A PreSharedKeyID for an external PSK with a fresh nonce, for a PreSharedKey proposal (§8.4). */
    public PreSharedKeyId externalPskId(Bytes pskId) {
        return new PreSharedKeyId.ExternalPsk(pskId, GroupResumption.nonce(state));
    }

    /** A PreSharedKeyID for this group's resumption PSK of {@code epoch} (usage application, §8.6). */
    public PreSharedKeyId resumptionPskId(long epoch) {
        return new PreSharedKeyId.ResumptionPsk(ResumptionPskUsage.APPLICATION, state.groupId(), epoch,
                GroupResumption.nonce(state));
    }

    /**
     * After a merged commit with a ReInit (§11.2): creates the new group described by the ReInit
     * with this member's {@code identity} (of the ReInit's cipher suite), adds {@code members}
     * (KeyPackages of the other members) with the reinit resumption PSK, and returns it with the
     * Welcome to send. The members join with {@link #joinReInit}.
     */
    public ResumedGroup reinitialize(SignatureIdentity identity, List<KeyPackage> members, GroupConfig newConfig)
            throws MlsException {
        return reinitialize(identity, members, newConfig, CommitOptions.empty());
    }

    /**
     * As {@link #reinitialize(SignatureIdentity, List, GroupConfig)}, with the new group's first
     * commit shaped by {@code firstCommit} (path, ratchet tree in the Welcome's GroupInfo); the
     * Adds of {@code members} are appended to its proposals by value.
     */
    public ResumedGroup reinitialize(SignatureIdentity identity, List<KeyPackage> members, GroupConfig newConfig,
            CommitOptions firstCommit) throws MlsException {
        Proposal.ReInit r = state.pendingReInit().orElseThrow(() -> new IllegalStateException(
                "RFC 9420 §11.2: no ReInit was committed in this group"));
        if (identity.cipherSuite() != r.cipherSuite()) {
            throw new IllegalArgumentException("the ReInit asks for " + r.cipherSuite() + ", the identity is for "
                    + identity.cipherSuite());
        }
        return bindLikeThis(GroupResumption.create(state, ResumptionPskUsage.REINIT, identity, r.groupId(),
                r.extensions(), members, newConfig, psks, firstCommit));
    }

    /**
     * Branches a subgroup (§11.3): a new group with {@code members} (KeyPackages of members of
     * this group) and the branch resumption PSK of the current epoch. They join with {@link #joinBranch}.
     */
    public ResumedGroup branch(SignatureIdentity identity, Bytes newGroupId, List<Extension> extensions,
            List<KeyPackage> members) throws MlsException {
        return branch(identity, newGroupId, extensions, members, CommitOptions.empty());
    }

    /** As {@link #branch(SignatureIdentity, Bytes, List, List)}, with the first commit shaped by {@code firstCommit}. */
    public ResumedGroup branch(SignatureIdentity identity, Bytes newGroupId, List<Extension> extensions,
            List<KeyPackage> members, CommitOptions firstCommit) throws MlsException {
        requireActive();
        return bindLikeThis(GroupResumption.create(state, ResumptionPskUsage.BRANCH, identity, newGroupId,
                extensions, members, config, psks, firstCommit));
    }

    /**
     * A signed GroupInfo of the current epoch (§12.4.3) with the ratchet tree and external_pub,
     * as {@link CommitOutput#groupInfo()} has by default; {@code toMessage()} wraps it for sending.
     */
    public GroupInfo groupInfo() throws MlsException {
        return groupInfo(true, true);
    }

    /**
     * A signed GroupInfo of the current epoch (§12.4.3): with the ratchet_tree extension (else
     * joiners need {@link #ratchetTree()} out of band) and with external_pub (which allows
     * external commits).
     */
    public GroupInfo groupInfo(boolean ratchetTree, boolean externalPub) throws MlsException {
        requireActive();
        return GroupInfoBuilder.build(state, ratchetTree, externalPub);
    }

    private ResumedGroup bindLikeThis(ResumedGroup resumed) {
        storage.ifPresent(resumed.group()::persistIn);
        return resumed;
    }

    /** A removed member's calls fail with a checked exception: a peer's commit caused it, not a bug. */
    private void requireActive() throws InactiveGroupException {
        if (removed) {
            throw new InactiveGroupException("RFC 9420 §12.1.3: this member was removed from the group");
        }
    }

    @Override
    public String toString() {
        return "MlsGroup[" + state + (removed ? ", removed" : "") + "]";
    }
}
