package org.mlsbridge.mls.framing;

import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.GroupContext;

/** Checks of the clear header fields shared by PublicMessage and PrivateMessage. */
final class Headers {
    private Headers() {
    }

    /** A message is for exactly one group and one epoch (RFC 9420 §6). */
    static void checkGroupAndEpoch(Bytes groupId, long epoch, GroupContext context) throws ValidationException {
        if (!groupId.equals(context.groupId())) {
            throw new ValidationException(FailureReason.WRONG_GROUP,
                    "RFC 9420 §6: message is for group " + groupId + ", not " + context.groupId());
        }
        if (epoch != context.epoch()) {
            throw new ValidationException(FailureReason.WRONG_EPOCH,
                    "RFC 9420 §6: message is for epoch " + Long.toUnsignedString(epoch)
                    + " but the group is at epoch " + Long.toUnsignedString(context.epoch()));
        }
    }
}
