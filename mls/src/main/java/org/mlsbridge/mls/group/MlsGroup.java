package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.Welcome;

/**
 * One member's view of one MLS group (RFC 9420): the entry point of the receiving side.
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
    private GroupState state;
    private boolean removed;

    private MlsGroup(GroupState state, GroupConfig config, PskLookup psks) {
        this.state = Objects.requireNonNull(state, "state");
        this.config = Objects.requireNonNull(config, "config");
        this.processor = new MessageProcessor(config, Objects.requireNonNull(psks, "psks"));
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

    /** Continues from a stored state (see {@link GroupStateCodec}). */
    public static MlsGroup resume(GroupState state, GroupConfig config, PskLookup psks) {
        return new MlsGroup(state, config, psks);
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

    /** False once a merged commit removed this member. */
    public boolean isActive() {
        return !removed;
    }

    /** MLS-Exporter (§8.5) of the current epoch. */
    public Secret export(String label, byte[] context, int length) {
        return state.epochSecrets().export(label, context, length);
    }

    /**
     * Processes one message of this group. Proposals are cached at once; commits are staged.
     *
     * @throws MlsException the message is malformed, not for this group or epoch, not
     *     authentic, or breaks a rule; the group is unchanged
     */
    public ProcessedMessage process(MlsMessage message) throws MlsException {
        requireActive();
        MessageProcessor.Outcome outcome = processor.process(state, message);
        state = outcome.state();
        return outcome.message();
    }

    /**
     * Moves to the epoch a staged commit computed; the previous epoch's secrets are wiped except
     * the receiving keys kept for late messages ({@link GroupConfig#pastEpochsKept()}).
     *
     * @throws IllegalStateException the commit was staged for another epoch or group
     */
    public void merge(StagedCommit commit) {
        requireActive();
        if (!commit.groupId().equals(state.groupId()) || commit.epoch() != state.epoch()) {
            throw new IllegalStateException("staged commit is for epoch " + Long.toUnsignedString(commit.epoch())
                    + " but the group is at epoch " + Long.toUnsignedString(state.epoch()));
        }
        if (commit.next().isEmpty()) {
            removed = true;
            return;
        }
        GroupState next = commit.next().get();
        state.retireInFavourOf(next);
        state = next;
    }

    private void requireActive() {
        if (removed) {
            throw new IllegalStateException("this member was removed from the group");
        }
    }

    @Override
    public String toString() {
        return "MlsGroup[" + state + (removed ? ", removed" : "") + "]";
    }
}
