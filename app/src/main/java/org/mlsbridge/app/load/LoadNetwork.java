package org.mlsbridge.app.load;

import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;

/**
 * One network of the load run: how its accounts are made and signed in, and how a room is set up
 * for the run (owned by a bridge account, open to the run's members).
 */
interface LoadNetwork extends AutoCloseable {
    UserId.Network kind();

    /** Creates the account (fresh for every run) and returns its identity. */
    UserId register(String localpart) throws Exception;

    /** A new signed-in connection of a registered account. */
    Transport connect(UserId user) throws TransportException, InterruptedException;

    /**
     * Another connection of {@code user} for a second reader of its stream (the bridge's bot reading
     * the bridge account's Matrix room), signed in as `mlsbridge bridge` does it: on Matrix as a
     * device of its own, since a homeserver caches each device's {@code /sync} answers by their
     * {@code since} token and two readers on one device would be served each other's old answers.
     */
    Transport connectSecondReader(UserId user) throws TransportException, InterruptedException;

    /**
     * A connection of {@code user} for the plain phase, which signs in the MLS phase's accounts
     * ({@link LoadRunner}): on Matrix as a device of its own besides the MLS device. Synapse would
     * let a device sign in twice (a second token, the first stays valid), but the two readers
     * would then share one to-device inbox, which each {@code /sync} empties up to where it read:
     * the plain connection would take the MLS client's Welcomes away.
     */
    Transport connectForPlainPhase(UserId user) throws TransportException, InterruptedException;

    /** A new room owned by {@code owner} (a bridge account, in the room). */
    RoomId createRoom(Transport owner, String name) throws TransportException;

    /**
     * Lets {@code user} into the room (XMPP: member affiliation; Matrix: an invitation). For an MLS
     * member, only once its KeyPackages are published: the bridge's bot counts an account it sees
     * in the room without KeyPackages as a legacy (non-MLS) user.
     */
    void admit(Transport owner, RoomId room, UserId user) throws TransportException;

    /** The account enters a room it was let into. */
    void enter(Transport member, RoomId room) throws TransportException;

    @Override
    void close();
}
