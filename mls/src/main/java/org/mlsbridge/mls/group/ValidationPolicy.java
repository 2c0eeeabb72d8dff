package org.mlsbridge.mls.group;

/**
 * Choices RFC 9420 leaves to the application about what this member accepts or sends, beyond
 * the credential policy and clock of {@link GroupConfig}. docs/mls-checks.md lists every check
 * with its source.
 *
 * @param maxLeaves the largest ratchet tree (in leaves, blank ones included) this member
 *     joins, follows or lets a commit grow to. Checked before any work proportional to the tree:
 *     while decoding a ratchet_tree, before a joined tree is hashed or validated, before a
 *     commit's Adds are validated. The RFC sets no limit; the default
 *     {@value #DEFAULT_MAX_LEAVES} is twice the width of a 50,000-member group. At least 1.
 * @param checkJoinerCapabilities when this member creates a group with members or adds one
 *     (an Add it proposes or commits by value), require the KeyPackage's capabilities to list the
 *     group's version, cipher suite and non-default GroupContext extensions (§11, §13.4: the
 *     adder's duty). Never applied to what is received. Default true.
 * @param checkReceivedLifetimes whether KeyPackage leaves received in Add proposals and commits
 *     must be within their lifetime at {@link GroupConfig#clock()} (§7.3: RECOMMENDED for
 *     received leaves, so on by default; off e.g. to replay recorded traffic). The Adds this
 *     member makes itself are always checked (§7.3: MUST for sent leaves).
 */
public record ValidationPolicy(int maxLeaves, boolean checkJoinerCapabilities, boolean checkReceivedLifetimes) {
    public static final int DEFAULT_MAX_LEAVES = 1 << 17;

    public static final ValidationPolicy DEFAULT = new ValidationPolicy(DEFAULT_MAX_LEAVES, true, true);

    public ValidationPolicy {
        if (maxLeaves < 1) {
            throw new IllegalArgumentException("maxLeaves must be at least 1: " + maxLeaves);
        }
    }

    public ValidationPolicy withMaxLeaves(int n) {
        return new ValidationPolicy(n, checkJoinerCapabilities, checkReceivedLifetimes);
    }

    public ValidationPolicy withJoinerCapabilitiesChecked(boolean check) {
        return new ValidationPolicy(maxLeaves, check, checkReceivedLifetimes);
    }

    public ValidationPolicy withReceivedLifetimesChecked(boolean check) {
        return new ValidationPolicy(maxLeaves, checkJoinerCapabilities, check);
    }

    /** Nodes of the largest tree allowed: {@code 2 * maxLeaves - 1}. */
    public long maxNodes() {
        return 2L * maxLeaves - 1;
    }
}
