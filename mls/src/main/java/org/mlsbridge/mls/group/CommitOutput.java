package org.mlsbridge.mls.group;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;

/**
 * What a member's commit produced: the commit to hand to the delivery service, the Welcome for
 * the members it adds, a signed GroupInfo of the new epoch (for external joiners or later
 * Welcomes; {@code groupInfo().toMessage()} to send it, as for {@link MlsGroup#groupInfo()}),
 * and the pending next epoch. The group stays in the current epoch until the commit
 * comes back from the delivery service ({@link MlsGroup#process} then returns {@link #pending})
 * or {@link MlsGroup#mergePendingCommit} is called.
 */
public record CommitOutput(MlsMessage commit, Optional<Welcome> welcome, GroupInfo groupInfo, StagedCommit pending) {
    public CommitOutput {
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(welcome, "welcome");
        Objects.requireNonNull(groupInfo, "groupInfo");
        Objects.requireNonNull(pending, "pending");
    }

    /** The Welcome as an MLSMessage, ready to send. */
    public Optional<MlsMessage> welcomeMessage() {
        return welcome.map(MlsMessage::of);
    }
}
