package org.mlsbridge.mls.tree;

import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.LeafNode;

/**
 * Builds and signs the committer's new leaf for an UpdatePath (RFC 9420 §7.5): the leaf can only
 * be signed once its parent hash is known, which is after the path's keys are chosen.
 */
@FunctionalInterface
public interface LeafNodeSigner {
    /** A LeafNode with source commit, the given encryption key and parent hash, signed. */
    LeafNode sign(Bytes encryptionKey, Bytes parentHash) throws MlsException;
}
