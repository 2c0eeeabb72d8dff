package org.mlsbridge.config;

/**
 * The {@code client} section: which account the terminal client uses (the {@code xmpp} or the
 * {@code matrix} section) and the room it joins, named as that network names rooms.
 */
public record ClientSettings(Network network, String room) {
}
