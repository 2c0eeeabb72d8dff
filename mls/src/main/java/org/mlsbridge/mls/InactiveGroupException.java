package org.mlsbridge.mls;

/**
 * The group can no longer be used by this member: a merged commit removed it, or a merged
 * ReInit closed the group (RFC 9420 §11.2). Checked, because a peer's commit causes it; the
 * reason is always {@link FailureReason#INACTIVE}.
 */
public class InactiveGroupException extends MlsException {
    public InactiveGroupException(String message) {
        super(FailureReason.INACTIVE, message);
    }
}
