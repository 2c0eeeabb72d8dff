package org.mlsbridge.mls.group;

/**
 * What {@link MlsGroup#process} made of an incoming message: application data to show, a
 * proposal now cached for this epoch, or a commit staged for inspection and then
 * {@link MlsGroup#merge merging}, or this member's own message echoed back ({@link OwnMessage}; an
 * own commit comes back as its pending {@link StagedCommit}).
 */
public sealed interface ProcessedMessage permits ApplicationMessage, ProposalReceived, StagedCommit, OwnMessage {
}
