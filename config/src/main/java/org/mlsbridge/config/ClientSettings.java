package org.mlsbridge.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code client} section: which account the terminal client uses (the {@code xmpp} or the
 * {@code matrix} section), the room it joins (named as that network names rooms), where it keeps
 * its state (an SQLite file encrypted with the key in {@code keyEncryptionKeyFile}), and the
 * room's bot, if any, as an account URI ({@code xmpp:bridge@example.org}): a group this client
 * creates lists it as external sender, so the bot can add and remove members. {@code bridged}: the
 * room is one side of a bridged pair, whose handshake messages count only as the bot (the bridge's
 * account) posts them (docs/wire-formats.md, "The bridge").
 */
public record ClientSettings(Network network, String room, Path database, Path keyEncryptionKeyFile,
        Optional<String> bot, boolean bridged) {
    /** The database's default name, in the configuration file's folder. */
    public static final String DEFAULT_DATABASE = "client.db";
    /** The key file's default name, in the configuration file's folder. */
    public static final String DEFAULT_KEY_ENCRYPTION_KEY_FILE = "client.kek";
}
