package org.mlsbridge.mls.group;

/** What {@link PublicGroupView#process} made of a PublicMessage: a proposal now cached, or a commit to merge. */
public sealed interface PublicEvent permits PublicProposal, PublicCommit {
}
