package org.mlsbridge.mls;

/**
 * Why an {@link MlsException} was thrown, for programs that count or route failures without
 * reading messages. The message still names the RFC 9420 rule; this is its coarse class.
 * docs/mls-errors.md lists which exception carries which reason.
 */
public enum FailureReason {
    /** The bytes are not a valid encoding of the expected structure. */
    DECODE,
    /** The message is for another group. */
    WRONG_GROUP,
    /** The message is for an epoch this member is not in (or, for handshakes, no longer in). */
    WRONG_EPOCH,
    /** A PrivateMessage generation whose key was already used: a replay. */
    REPLAY,
    /** A PrivateMessage generation older than the out-of-order window: its key was deleted. */
    TOO_OLD,
    /** A PrivateMessage generation further ahead than the configured forward-skip cap. */
    TOO_FAR_AHEAD,
    /** The sender is not a member, external sender or joiner this group knows. */
    UNKNOWN_SENDER,
    /** A signature (content, leaf, KeyPackage, GroupInfo) does not verify or its key is unusable. */
    BAD_SIGNATURE,
    /** The membership tag of a member's PublicMessage does not verify. */
    BAD_MEMBERSHIP_TAG,
    /** A confirmation tag does not match the transcript. */
    BAD_CONFIRMATION_TAG,
    /** AEAD or HPKE decryption failed (wrong key, tampered ciphertext). */
    DECRYPTION_FAILED,
    /** Another cryptographic check failed, e.g. an invalid public key. */
    CRYPTO,
    /** A Welcome that holds nothing for any of this client's KeyPackages. */
    NOT_FOR_US,
    /** A local application policy refused it (credential validator, lifetime, capability checks of an adder). */
    POLICY,
    /** A configured size limit was exceeded (e.g. the tree-size cap), checked before the work. */
    TOO_LARGE,
    /** The group is no longer usable by this member: it was removed, or the group was reinitialized. */
    INACTIVE,
    /** Any other rule of RFC 9420 was broken. */
    PROTOCOL
}
