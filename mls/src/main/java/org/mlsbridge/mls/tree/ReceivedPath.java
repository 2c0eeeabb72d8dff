package org.mlsbridge.mls.tree;

import org.mlsbridge.mls.crypto.Secret;

/**
 * What a member learns from someone else's UpdatePath (RFC 9420 §12.4.2).
 *
 * @param privateKeys the member's private keys for the new tree
 * @param pathSecret the path secret it decrypted (or was given in a Welcome), at {@code node}
 * @param node the lowest node of the committer's filtered direct path above this member
 * @param commitSecret the commit secret of the new epoch
 */
public record ReceivedPath(TreePrivateKeys privateKeys, Secret pathSecret, NodeIndex node, Secret commitSecret) {
}
