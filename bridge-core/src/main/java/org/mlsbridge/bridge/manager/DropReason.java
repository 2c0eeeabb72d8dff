package org.mlsbridge.bridge.manager;

import org.mlsbridge.bridge.trust.Refusal;

/**
 * Why a client or bot refused something it received. Each refusal is counted under its reason
 * ({@link Counters#dropped(DropReason)}) and listed for operators ({@link DroppedEvent}).
 */
public enum DropReason {
    /** A room message whose payload is not an MLS message. */
    UNDECODABLE,
    /** The transport delivered a message id already handled. */
    REPLAY,
    /** A message for another group than the one the room is pinned to. */
    WRONG_GROUP,
    /** A header naming an epoch after ours: nothing authenticated says the group moved on. */
    FUTURE_EPOCH,
    /** A proposal of an epoch that has ended. */
    STALE_PROPOSAL,
    /** An application message of an epoch before we joined. */
    BEFORE_JOIN,
    /** An application message of a past epoch outside the policy's window (epochs or time). */
    PAST_EPOCH_EXPIRED,
    /** Decryption or signature check of an application message failed. */
    UNDECRYPTABLE,
    /** A commit failed an MLS check (signature, tags, RFC 9420 §12 rules). */
    INVALID_COMMIT,
    /** A proposal failed an MLS check. */
    INVALID_PROPOSAL,
    /** A handshake or message the role has no use for (e.g. a Welcome sent to the bot). */
    UNEXPECTED,
    /** A KeyPackage claimed for an account names another identity (or none). */
    KEY_PACKAGE_IDENTITY,
    /** An external commit whose new leaf is not the account that sent the room event. */
    EXTERNAL_JOIN_IMPERSONATION,
    /** An external commit the room's policy does not allow (e.g. a resync of another identity's leaf). */
    EXTERNAL_JOIN_REFUSED,
    /** An Update or commit path that changes its leaf's identity. */
    IDENTITY_CHANGE,
    /** A credential that names no valid account URI. */
    INVALID_IDENTITY,
    /** A new signature key for a known identity, refused by the room's policy. */
    KEY_CHANGE_REFUSED,
    /** A proposal type the room's policy does not allow from that sender. */
    PROPOSAL_NOT_ALLOWED,
    /** A PreSharedKey proposal naming a PSK this client cannot resolve. */
    UNRESOLVABLE_PSK,
    /** The legacy-plaintext marker from a sender that is not the room's member-mode bot, or naming a member. */
    FORGED_LEGACY_MARKER,
    /** A GroupInfo that does not follow a commit we saw and is not signed by a pinned key of the pinned group. */
    UNVERIFIED_GROUP_INFO,
    /** A Welcome for another group than the room's, or sent by someone who is not a member of its group. */
    WELCOME_REFUSED,
    /** A Welcome for none of our KeyPackages, or one that fails MLS checks. */
    INVALID_WELCOME,
    /** The pre-join buffer reached its byte or message limit; the oldest messages went. */
    BUFFER_FULL,
    /** Handling the event failed unexpectedly (an unchecked exception): dropped, never retried. */
    INTERNAL_ERROR,
    /** A legacy user's plain message with no text but white space: the member-mode bot gateways nothing. */
    BLANK_PLAIN_TEXT;

    /** The reason under which a refusal by the trust rules is counted. */
    public static DropReason of(Refusal.Rule rule) {
        return switch (rule) {
            case KEY_PACKAGE_IDENTITY -> KEY_PACKAGE_IDENTITY;
            case EXTERNAL_JOIN_IMPERSONATION -> EXTERNAL_JOIN_IMPERSONATION;
            case EXTERNAL_JOIN_REFUSED -> EXTERNAL_JOIN_REFUSED;
            case IDENTITY_CHANGE -> IDENTITY_CHANGE;
            case INVALID_IDENTITY -> INVALID_IDENTITY;
            case KEY_CHANGE_REFUSED -> KEY_CHANGE_REFUSED;
            case PROPOSAL_NOT_ALLOWED -> PROPOSAL_NOT_ALLOWED;
            case UNRESOLVABLE_PSK -> UNRESOLVABLE_PSK;
        };
    }
}
