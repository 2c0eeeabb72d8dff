package org.mlsbridge.bridge.manager;

import java.util.Objects;

/**
 * Thrown inside an event's transaction when the event must be refused after it already moved
 * state (a group that saves itself cached a proposal, or staged a commit): {@link EventRunner}
 * rolls the transaction back, then records the refusal under {@link #reason} and moves the
 * cursor on, so nothing of the event remains but the count.
 */
final class RefusedEvent extends RuntimeException {
    private final DropReason reason;
    private final boolean commit;

    RefusedEvent(DropReason reason, boolean commit, String detail) {
        super(detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.commit = commit;
    }

    DropReason reason() {
        return reason;
    }

    boolean commit() {
        return commit;
    }
}
