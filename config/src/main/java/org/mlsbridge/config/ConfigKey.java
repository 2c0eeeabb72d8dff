package org.mlsbridge.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every key of the configuration file: its section, its name, and the environment variable that
 * overrides it. The naming scheme: {@code MLSBRIDGE_} + section + {@code _} + key, upper case,
 * {@code -} as {@code _} (so {@code xmpp.password-file} is {@code MLSBRIDGE_XMPP_PASSWORD_FILE}).
 * Lists ({@code bridge.rooms}) have no variable: a list does not fit in one.
 */
public enum ConfigKey {
    BRIDGE_DATABASE("bridge", "database"),
    BRIDGE_KEY_ENCRYPTION_KEY_FILE("bridge", "key-encryption-key-file"),
    BRIDGE_METRICS_LISTEN("bridge", "metrics-listen"),
    BRIDGE_BOT_MODE("bridge", "bot-mode"),
    BRIDGE_ROOMS("bridge", "rooms", false),
    XMPP_JID("xmpp", "jid"),
    XMPP_HOST("xmpp", "host"),
    XMPP_PORT("xmpp", "port"),
    XMPP_PASSWORD_FILE("xmpp", "password-file"),
    XMPP_MAX_STANZA_BYTES("xmpp", "max-stanza-bytes"),
    MATRIX_HOMESERVER("matrix", "homeserver"),
    MATRIX_USER_ID("matrix", "user-id"),
    MATRIX_PASSWORD_FILE("matrix", "password-file"),
    MATRIX_DEVICE_ID("matrix", "device-id"),
    CLIENT_NETWORK("client", "network"),
    CLIENT_ROOM("client", "room"),
    CLIENT_DATABASE("client", "database"),
    CLIENT_KEY_ENCRYPTION_KEY_FILE("client", "key-encryption-key-file"),
    CLIENT_BOT("client", "bot"),
    CLIENT_BRIDGED("client", "bridged");

    /** The sections, in the order the file and the documentation give them. */
    public static final List<String> SECTIONS = List.of("bridge", "xmpp", "matrix", "client");
    /** The keys of one entry of {@code bridge.rooms}. */
    public static final List<String> ROOM_PAIR_KEYS = List.of("xmpp", "matrix");
    public static final String ENV_PREFIX = "MLSBRIDGE_";

    private final String section;
    private final String name;
    private final boolean scalar;

    ConfigKey(String section, String name) {
        this(section, name, true);
    }

    ConfigKey(String section, String name, boolean scalar) {
        this.section = section;
        this.name = name;
        this.scalar = scalar;
    }

    public String section() {
        return section;
    }

    /** The key's name inside its section, e.g. {@code password-file}. */
    public String key() {
        return name;
    }

    /** The dotted path, e.g. {@code xmpp.password-file}. */
    public String path() {
        return section + "." + name;
    }

    /** The environment variable that overrides this key, if it can be overridden. */
    public Optional<String> environmentVariable() {
        if (!scalar) {
            return Optional.empty();
        }
        return Optional.of(ENV_PREFIX + (section + "_" + name).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static List<ConfigKey> inSection(String section) {
        return Arrays.stream(values()).filter(k -> k.section.equals(section)).toList();
    }
}
