package org.mlsbridge.app.bench;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * The sending side of a group as the benchmark drives it: one method per measured operation, so
 * that the harness does not depend on the shape of the library's sending API.
 */
interface GroupSender {
    /** What a commit produced: the message to send, the Welcome (for Adds), the committer's next state. */
    record Committed(MlsMessage commit, Optional<MlsMessage> welcome, GroupState next) {
    }

    /** A one-member group at epoch 0 (RFC 9420 §11). */
    GroupState create(SignatureIdentity creator, KeyPackageBundle bundle, byte[] groupId) throws MlsException;

    /** A commit adding {@code keyPackages} without an UpdatePath, and its Welcome. */
    Committed add(GroupState state, List<KeyPackage> keyPackages, boolean treeInWelcome) throws MlsException;

    /** An empty commit with an UpdatePath. */
    Committed update(GroupState state) throws MlsException;

    /** A commit removing {@code leaf}, with an UpdatePath. */
    Committed remove(GroupState state, LeafIndex leaf) throws MlsException;

    /** One application message as PrivateMessage (consumes a generation of the sender's ratchet). */
    MlsMessage application(GroupState state, byte[] data) throws MlsException;
}
