package org.mlsbridge.mls.group;

/**
 * What {@link MlsGroup#process} made of an incoming message: application data to show, a
 * proposal now cached for this epoch, or a commit staged for inspection and then
 * {@link MlsGroup#merge merging}.
 */
public sealed interface ProcessedMessage permits ApplicationMessage, ProposalReceived, StagedCommit {
}
