package org.mlsbridge.config;

/**
 * One thing wrong with a configuration: the key it concerns (as written in the file, e.g.
 * {@code xmpp.port} or {@code bridge.rooms[2].matrix}), what is wrong, and how to fix it.
 */
public record Problem(String key, String problem, String fix) {
    /** One line: {@code key: problem. Fix: fix}. */
    public String describe() {
        return key + ": " + problem + ". Fix: " + fix;
    }

    @Override
    public String toString() {
        return describe();
    }
}
