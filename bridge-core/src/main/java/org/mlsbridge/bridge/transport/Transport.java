package org.mlsbridge.bridge.transport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;

/**
 * One client's connection to a chat network, as the MLS group manager sees it: it moves opaque
 * bytes and reports room events, and knows nothing of MLS. See docs/transport-spi.md for the
 * full contract; the essentials:
 *
 * <ul>
 *   <li><b>Order.</b> All members of a room see its {@link RoomEvent.RoomMessage}s and membership
 *       events in one total order (the server's), their own messages included, at the position
 *       the server gave them. Across rooms, and for Welcomes, there is no order.
 *   <li><b>Durability.</b> {@link #poll} resumes after any cursor it returned, also in a new
 *       connection after a crash, and replays every event since, so a client offline for a long
 *       time catches up in order.
 *   <li><b>Idempotence.</b> Sending again with the same {@link ClientMessageId} returns the first
 *       attempt's {@link ServerId} and delivers nothing new.
 * </ul>
 *
 * <p>Methods may block on I/O; call them from a virtual thread. Implementations must be safe for
 * use by several threads.
 */
public interface Transport extends AutoCloseable {
    /** The user this connection acts as. */
    UserId self();

    /**
     * Publishes KeyPackages of this user: {@code oneTime} are each handed out once by
     * {@link #claimKeyPackage}; {@code lastResort}, if present, replaces the previous one and is
     * handed out when no one-time KeyPackage is left, never used up.
     */
    void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException;

    /** How many one-time KeyPackages of this user are published and not yet claimed or retracted. */
    int availableKeyPackages() throws TransportException;

    /** Withdraws one of this user's KeyPackages (used, or expired); unknown refs are ignored. */
    void retractKeyPackage(Bytes ref) throws TransportException;

    /**
     * Takes a KeyPackage of {@code user}: a one-time one if any is left (it is not handed out
     * again), else the last_resort one, else empty.
     */
    Optional<Bytes> claimKeyPackage(UserId user) throws TransportException;

    /**
     * Takes one KeyPackage from each of {@code user}'s MLS clients, for adding the account with
     * every client it runs (each a leaf of its own): per client as {@link #claimKeyPackage};
     * clients with none are left out, so empty means no MLS client at all. On a network whose
     * accounts have one client each, that client's KeyPackage.
     */
    default List<Bytes> claimKeyPackages(UserId user) throws TransportException {
        Optional<Bytes> one = claimKeyPackage(user);
        return one.isPresent() ? List.of(one.get()) : List.of();
    }

    /**
     * Sends {@code payload} into the room's order. This client must be a member.
     *
     * @param id stored by the caller before the first attempt and reused on retries
     * @return the server id of the message, the same for every attempt with {@code id}
     */
    ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException;

    /**
     * Posts {@code text} into the room as an ordinary chat message without MLS (XMPP groupchat
     * body, Matrix {@code m.notice}), for room members without an MLS client: what the member-mode
     * bot gateways to them. Idempotent on {@code id} as {@link #sendToRoom}.
     *
     * @param text at most {@link RoomEvent.PlainMessage#MAX_TEXT_BYTES} bytes of UTF-8 (longer:
     *     a non-retryable failure)
     */
    ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException;

    /**
     * Sends a Welcome to one user, stored for it while offline; it arrives as
     * {@link RoomEvent.WelcomeReceived} naming {@code room}. Idempotent on {@code id} as
     * {@link #sendToRoom}.
     */
    void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException;

    /** The room's current members, for a client that starts following a room midway. */
    Set<UserId> members(RoomId room) throws TransportException;

    /**
     * The next events of this client's stream after {@code after} (empty: from the start of what
     * this user may see: every room event since it joined each room, and every Welcome addressed
     * to it), at most {@code max}, waiting up to {@code wait} for the first one.
     *
     * @return events in stream order, each with the cursor that resumes after it; empty if none
     *     arrived in time
     * @throws TransportException the cursor is unknown or expired ({@code retryable() == false}),
     *     or the network failed
     */
    List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException;

    /** Ends the connection; later calls fail with a non-retryable {@link TransportException}. */
    @Override
    void close();
}
