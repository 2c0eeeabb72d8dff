package org.mlsbridge.mls.secrets;

/**
 * Tolerances of the receiving hash ratchets (RFC 9420 §9.2 leaves them to the application).
 *
 * @param outOfOrderWindow how many generations behind the newest one a ratchet has reached may
 *     still be decrypted late: keys of generations that were skipped over are kept while they are
 *     inside this window and destroyed once they fall out of it. Larger values tolerate more
 *     reordering at the cost of keeping more keys alive (weaker forward secrecy within an epoch).
 * @param maxForwardSkip how many generations one incoming message may jump over. It bounds the
 *     work a single message can cause (each skipped generation costs three HKDF expansions).
 */
public record SecretTreeConfig(int outOfOrderWindow, int maxForwardSkip) {
    /** Window 32, forward skip 1000: survives moderate reordering and loss without storing much. */
    public static final SecretTreeConfig DEFAULT = new SecretTreeConfig(32, 1000);

    public SecretTreeConfig {
        if (outOfOrderWindow < 0) {
            throw new IllegalArgumentException("outOfOrderWindow must not be negative: " + outOfOrderWindow);
        }
        if (maxForwardSkip < 0) {
            throw new IllegalArgumentException("maxForwardSkip must not be negative: " + maxForwardSkip);
        }
    }
}
