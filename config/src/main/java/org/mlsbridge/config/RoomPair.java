package org.mlsbridge.config;

/**
 * One bridged pair: an XMPP multi-user chat room (its bare JID, e.g. {@code lounge@muc.example.org})
 * and a Matrix room (its id, e.g. {@code !abcdef:example.org}), carried by one MLS group.
 */
public record RoomPair(String xmppRoom, String matrixRoom) {
}
