package org.mlsbridge.bridge.relay;

import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Posts a handshake message into both rooms of a bridged pair in the pair's one order: what the
 * bridge's own bot sends when it shares the bridge's accounts (its proposals need no checking as
 * a submission; they must only be ordered with everything else).
 */
public interface Sequencer {
    /**
     * Queues {@code payload} durably for both rooms and posts what the queue holds.
     *
     * @throws TransportException the message could not be queued; once queued it is posted even if
     *     this call's posting fails (the relay's next turn goes on), so a retry with the same id is
     *     harmless
     */
    void sequence(ClientMessageId id, Bytes payload) throws TransportException;

    /**
     * A Welcome the bot (a member, in member mode) addressed to the bridge's own account for
     * joiners on the other network: carried to them as a Welcome received from a member would be.
     * A network does not deliver a message from an account to itself as received, so the bot hands
     * it over here.
     */
    void forwardWelcome(ClientMessageId id, Bytes welcome) throws TransportException;
}
