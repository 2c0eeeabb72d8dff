package org.mlsbridge.bridge.trust;

import java.util.Objects;

/** Something a peer sent breaks a rule of the authentication service or of the room's policy. */
public final class Refusal extends Exception {
    /** Which rule: each maps to the reason under which the refusal is counted. */
    public enum Rule {
        /** A KeyPackage claimed for an account names another identity, or none. */
        KEY_PACKAGE_IDENTITY,
        /** An external commit's new leaf is not the account that sent it. */
        EXTERNAL_JOIN_IMPERSONATION,
        /** An external commit the room's policy does not allow. */
        EXTERNAL_JOIN_REFUSED,
        /** An Update or commit path changes its leaf's identity. */
        IDENTITY_CHANGE,
        /** A credential that names no valid account. */
        INVALID_IDENTITY,
        /** A new signature key for a known identity where the policy refuses key changes. */
        KEY_CHANGE_REFUSED,
        /** A proposal type the policy does not allow from its sender. */
        PROPOSAL_NOT_ALLOWED,
        /** A PreSharedKey proposal this client cannot resolve. */
        UNRESOLVABLE_PSK
    }

    private final Rule rule;

    public Refusal(Rule rule, String message) {
        super(message);
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public Rule rule() {
        return rule;
    }
}
