package org.mlsbridge.bridge.trust;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.bridge.transport.UserId;

/**
 * What a room allows, with safe defaults ({@link #DEFAULT}). All members of a room must use the
 * same policy, since it decides which commits they accept.
 *
 * @param externalJoins who may join by external commit
 * @param memberProposals proposal types a member's commit may carry (by value or reference)
 * @param privilegedProposals proposal types only the room's bot or an owner may send
 * @param owners accounts that may send privileged proposals besides the room's bot
 * @param pastEpochs how many epochs back a late application message is still read (at most
 *     {@code GroupConfig.pastEpochsKept})
 * @param pastEpochTime how long after an epoch ended its late application messages are still read
 * @param keyChanges what a member does when a known identity shows a new signature key
 * @param bufferBytes bytes of room messages a client keeps while waiting for its Welcome
 * @param bufferMessages messages it keeps while waiting
 * @param sequencer in a bridged room, the bridge's account on this room's network: handshake
 *     messages (proposals, commits, GroupInfos) count only when this account posts them, in the
 *     order it posts them, so both rooms of a bridged pair follow one order (see
 *     {@link Sequencing}); empty in a room of one network, where the server's order rules
 */
public record RoomPolicy(ExternalJoins externalJoins, Set<ProposalKind> memberProposals,
        Set<ProposalKind> privilegedProposals, Set<UserId> owners, int pastEpochs, Duration pastEpochTime,
        KeyChanges keyChanges, long bufferBytes, int bufferMessages, Optional<UserId> sequencer) {

    /** Who may join by external commit. */
    public enum ExternalJoins {
        /** Room members, each only as its own account (a new device, or a resync of its own leaf). */
        ROOM_MEMBERS_AS_THEMSELVES,
        /** Only a resync of one's own leaf (new accounts come in by the bot's Add). */
        RESYNC_ONLY,
        /** Nobody. */
        NONE
    }

    /** A new signature key for an identity that already has pinned ones. */
    public enum KeyChanges {
        /** Accept it and report a {@link KeyChange} to the user (trust on first use, then notice). */
        ACCEPT_AND_REPORT,
        /** Refuse the commit or Welcome that brings it. */
        REFUSE
    }

    /**
     * Room members join as themselves; members' commits carry Add, Remove, Update and resolvable
     * PSKs; ReInit and GroupContextExtensions come only from the bot or an owner; late messages
     * are read for 3 epochs and 10 minutes; 4 MiB / 2000 messages wait for a Welcome.
     */
    public static final RoomPolicy DEFAULT = new RoomPolicy(ExternalJoins.ROOM_MEMBERS_AS_THEMSELVES,
            EnumSet.of(ProposalKind.ADD, ProposalKind.REMOVE, ProposalKind.UPDATE, ProposalKind.PSK),
            EnumSet.of(ProposalKind.REINIT, ProposalKind.GROUP_CONTEXT_EXTENSIONS), Set.of(), 3,
            Duration.ofMinutes(10), KeyChanges.ACCEPT_AND_REPORT, 4L << 20, 2_000, Optional.empty());

    public RoomPolicy {
        Objects.requireNonNull(externalJoins, "externalJoins");
        memberProposals = Set.copyOf(memberProposals);
        privilegedProposals = Set.copyOf(privilegedProposals);
        owners = Set.copyOf(owners);
        Objects.requireNonNull(pastEpochTime, "pastEpochTime");
        Objects.requireNonNull(keyChanges, "keyChanges");
        Objects.requireNonNull(sequencer, "sequencer");
        if (pastEpochs < 0 || pastEpochTime.isNegative() || bufferBytes < 0 || bufferMessages < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (memberProposals.contains(ProposalKind.EXTERNAL_INIT)) {
            throw new IllegalArgumentException("ExternalInit belongs to external commits only");
        }
    }

    public RoomPolicy withExternalJoins(ExternalJoins joins) {
        return new RoomPolicy(joins, memberProposals, privilegedProposals, owners, pastEpochs, pastEpochTime,
                keyChanges, bufferBytes, bufferMessages, sequencer);
    }

    public RoomPolicy withOwners(Set<UserId> newOwners) {
        return new RoomPolicy(externalJoins, memberProposals, privilegedProposals, newOwners, pastEpochs,
                pastEpochTime, keyChanges, bufferBytes, bufferMessages, sequencer);
    }

    public RoomPolicy withPastEpochWindow(int epochs, Duration time) {
        return new RoomPolicy(externalJoins, memberProposals, privilegedProposals, owners, epochs, time, keyChanges,
                bufferBytes, bufferMessages, sequencer);
    }

    public RoomPolicy withKeyChanges(KeyChanges changes) {
        return new RoomPolicy(externalJoins, memberProposals, privilegedProposals, owners, pastEpochs,
                pastEpochTime, changes, bufferBytes, bufferMessages, sequencer);
    }

    public RoomPolicy withBuffer(long bytes, int messages) {
        return new RoomPolicy(externalJoins, memberProposals, privilegedProposals, owners, pastEpochs,
                pastEpochTime, keyChanges, bytes, messages, sequencer);
    }

    /** The room is one side of a bridged pair whose order {@code bridgeAccount} sets. */
    public RoomPolicy withSequencer(UserId bridgeAccount) {
        return new RoomPolicy(externalJoins, memberProposals, privilegedProposals, owners, pastEpochs,
                pastEpochTime, keyChanges, bufferBytes, bufferMessages, Optional.of(bridgeAccount));
    }
}
