package org.mlsbridge.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How the bridge's bot takes part in each bridged group (docs/architecture.md, group manager). */
public enum BotMode {
    /** The default: the bot proposes Adds and Removes as an external sender and holds no group secret. */
    EXTERNAL_SENDER("external-sender"),
    /**
     * The bot is a member: it commits membership itself and can gateway legacy users who have no
     * MLS client. Not end-to-end encrypted for them: the bridge reads what it relays for them.
     */
    MEMBER("member");

    private final String yaml;

    BotMode(String yaml) {
        this.yaml = yaml;
    }

    /** The value as written in the configuration file. */
    public String yaml() {
        return yaml;
    }

    static Optional<BotMode> parse(String text) {
        return Arrays.stream(values()).filter(m -> m.yaml.equals(text)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(BotMode::yaml).toList();
    }
}
