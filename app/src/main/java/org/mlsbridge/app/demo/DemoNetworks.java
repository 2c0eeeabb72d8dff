package org.mlsbridge.app.demo;

import java.time.Duration;
import java.util.Set;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;

/**
 * The two networks the demo's script runs on: in process ({@link InMemoryNetworks}) or a local
 * Prosody and Synapse ({@link ServerNetworks}). The script is the same on both; only accounts,
 * rooms and how long a step may take differ.
 */
sealed interface DemoNetworks extends AutoCloseable permits InMemoryNetworks, ServerNetworks {
    /** One line: what carries the rooms. */
    String description();

    /** The XMPP account with this local part. */
    UserId xmppUser(String localpart);

    /** The Matrix account with this local part. */
    UserId matrixUser(String localpart);

    /**
     * Creates both rooms, each owned by the bridge's account on its network, with the bot's
     * accounts in them, and returns the bridge's connections.
     */
    Bridge openBridge() throws Exception;

    /** A new signed-in connection of the account (on a server, the account is registered first). */
    Transport connect(UserId user) throws Exception;

    /** The account enters its network's room: let in by the bridge's account, then joining with {@code connection}. */
    void enter(UserId user, Transport connection) throws Exception;

    /** The bridge's account bans the user from its network's room. */
    void ban(UserId user) throws Exception;

    /** How long nothing may move before a step of the script counts as done. */
    Duration quiet();

    /** How long one step of the script may take before the demo goes on (and counts what is missing). */
    Duration patience();

    /**
     * The bridge's side of both rooms: the relay's connection in each room (XMPP is room A: the
     * group's creator is there), the external-sender bot's account in the XMPP room and a
     * connection that reports the Matrix room's membership to it, and every account of the bridge
     * (never MLS members).
     */
    record Bridge(RoomSide xmpp, RoomSide matrix, UserId bot, Transport botXmpp, Transport botMatrix,
            Set<UserId> accounts) {
    }
}
