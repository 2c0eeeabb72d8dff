package org.mlsbridge.mls.tree;

/**
 * One step of a filtered direct path (RFC 9420 §4.1): a parent node on the path and its child
 * on the copath, whose resolution receives that node's path secret (§7.5).
 */
public record PathStep(NodeIndex node, NodeIndex copathChild) {
}
