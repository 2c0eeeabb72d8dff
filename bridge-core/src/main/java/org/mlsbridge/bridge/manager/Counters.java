package org.mlsbridge.bridge.manager;

import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Operational counters of one client or bot (monotonic since start). Counts made while a batch of
 * events is handled in one transaction are held back ({@link #hold}) and kept only if it commits,
 * so an event handled again on its own after the batch failed is not counted twice.
 */
public final class Counters {
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong decryptionFailures = new AtomicLong();
    private final AtomicLong rejectedCommits = new AtomicLong();
    private final AtomicLong discardedCommits = new AtomicLong();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicLong epochChanges = new AtomicLong();
    private final AtomicLong rejoins = new AtomicLong();
    private final AtomicLong submissions = new AtomicLong();
    private final AtomicLong plainIgnored = new AtomicLong();
    private final AtomicLong gatewayedIn = new AtomicLong();
    private final AtomicLong gatewayedOut = new AtomicLong();
    private final AtomicLong messagesRenewed = new AtomicLong();
    private final AtomicLong messagesUnsendable = new AtomicLong();
    private final Map<DropReason, AtomicLong> byReason = new EnumMap<>(DropReason.class);

    /** Counts held back while a batch runs; null when none does. Touched by the client's thread only. */
    private Map<AtomicLong, Long> held;

    public Counters() {
        for (DropReason r : DropReason.values()) {
            byReason.put(r, new AtomicLong());
        }
    }

    /** Refusals with this reason, whatever their kind (message, commit, Welcome, GroupInfo). */
    public long dropped(DropReason reason) {
        return byReason.get(reason).get();
    }

    /** Every reason with a non-zero count. */
    public Map<DropReason, Long> droppedByReason() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        byReason.forEach((r, n) -> {
            if (n.get() > 0) {
                out.put(r, n.get());
            }
        });
        return out;
    }

    /** Application messages decrypted and handed to the application. */
    public long messagesIn() {
        return messagesIn.get();
    }

    /** Application messages encrypted and queued for sending. */
    public long messagesOut() {
        return messagesOut.get();
    }

    /** Messages of the current or a kept epoch that failed to decrypt or authenticate. */
    public long decryptionFailures() {
        return decryptionFailures.get();
    }

    /** Commits refused by a check (forged, malformed, breaking a rule). */
    public long rejectedCommits() {
        return rejectedCommits.get();
    }

    /** Valid-looking commits that lost their epoch to an earlier one in room order. */
    public long discardedCommits() {
        return discardedCommits.get();
    }

    /** Other room messages dropped: garbage, replays, wrong group, unusable proposals. */
    public long droppedMessages() {
        return droppedMessages.get();
    }

    public long epochChanges() {
        return epochChanges.get();
    }

    /** Handshake messages members posted into a bridged room, seen as submissions to the bridge. */
    public long submissionsSeen() {
        return submissions.get();
    }

    /**
     * Room messages without MLS left alone: a chat client's text or a member-mode bot's plain
     * post, which MLS members read from the group instead. Neither a failure nor a drop.
     */
    public long plainMessagesIgnored() {
        return plainIgnored.get();
    }

    /** Member-mode bot: texts of users without MLS encrypted into the group (marked not end-to-end encrypted). */
    public long gatewayedIntoGroup() {
        return gatewayedIn.get();
    }

    /** Member-mode bot: plain posts queued for rooms with users without MLS. */
    public long gatewayedToRooms() {
        return gatewayedOut.get();
    }

    void plainIgnored() {
        inc(plainIgnored);
    }

    void gatewayedIn() {
        inc(gatewayedIn);
    }

    void gatewayedOut() {
        inc(gatewayedOut);
    }

    void submissionSeen() {
        inc(submissions);
    }

    /** Re-joins by external commit after falling out of sync. */
    public long rejoins() {
        return rejoins.get();
    }

    /** Own queued application messages encrypted again because their epoch ended before they were sent. */
    public long messagesRenewed() {
        return messagesRenewed.get();
    }

    /** Own queued application messages dropped unsent: we were no longer in the room's group. */
    public long messagesUnsendable() {
        return messagesUnsendable.get();
    }

    void messageRenewed() {
        inc(messagesRenewed);
    }

    void messageUnsendable() {
        inc(messagesUnsendable);
    }

    void messageIn() {
        inc(messagesIn);
    }

    void messageOut() {
        inc(messagesOut);
    }

    void discardedCommit() {
        inc(discardedCommits);
    }

    /** A refused message: counted under its reason and as a decryption failure or a dropped message. */
    void count(DropReason reason) {
        inc(byReason.get(reason));
        if (reason == DropReason.UNDECRYPTABLE) {
            inc(decryptionFailures);
        } else {
            inc(droppedMessages);
        }
    }

    /** A refused commit: counted under its reason and as a rejected commit. */
    void rejectedCommit(DropReason reason) {
        inc(byReason.get(reason));
        inc(rejectedCommits);
    }

    void epochChange() {
        inc(epochChanges);
    }

    void rejoin() {
        inc(rejoins);
    }

    private void inc(AtomicLong counter) {
        if (held != null) {
            held.merge(counter, 1L, Long::sum);
        } else {
            counter.incrementAndGet();
        }
    }

    /** From now on counts are held back until {@link #release}. */
    void hold() {
        held = new IdentityHashMap<>();
    }

    /** Ends holding back: the held counts are added if {@code keep} (the batch committed), else forgotten. */
    void release(boolean keep) {
        Map<AtomicLong, Long> h = held;
        held = null;
        if (keep && h != null) {
            h.forEach(AtomicLong::addAndGet);
        }
    }

    @Override
    public String toString() {
        return "in=" + messagesIn + " out=" + messagesOut + " decryptFail=" + decryptionFailures + " rejectedCommits="
                + rejectedCommits + " discardedCommits=" + discardedCommits + " dropped=" + droppedMessages
                + " epochs=" + epochChanges + " rejoins=" + rejoins + " renewed=" + messagesRenewed + " unsendable="
                + messagesUnsendable + " reasons=" + droppedByReason();
    }
}
