package org.mlsbridge.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The chat networks an account can be on. */
public enum Network {
    XMPP,
    MATRIX;

    /** The value as written in the configuration file, also the name of the account's section. */
    public String yaml() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Network> parse(String text) {
        return Arrays.stream(values()).filter(n -> n.yaml().equals(text)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Network::yaml).toList();
    }
}
