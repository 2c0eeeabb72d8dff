package org.mlsbridge.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Puts environment values over the file's: for each key that has a variable
 * ({@link ConfigKey#environmentVariable()}) set to a non-empty value, that value replaces the
 * file's (creating the section if the file has none). Runs before validation, so an overridden
 * value is checked like one written in the file. Other {@code MLSBRIDGE_} variables are not ours
 * to judge (the store's key variable, debugging switches) and are left alone.
 */
final class EnvironmentOverrides {
    private EnvironmentOverrides() {
    }

    /** Applies the overrides to {@code root}; returns the keys overridden (dotted path -> variable), in key order. */
    static Map<String, String> apply(ObjectNode root, Map<String, String> env) {
        Map<String, String> applied = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            Optional<String> variable = key.environmentVariable();
            if (variable.isEmpty()) {
                continue;
            }
            String value = env.get(variable.get());
            if (value == null || value.isEmpty()) {
                continue;
            }
            ObjectNode section;
            if (root.get(key.section()) instanceof ObjectNode existing) {
                section = existing;
            } else {
                // A section that is absent (or not a mapping: the environment wins there too).
                section = root.putObject(key.section());
            }
            section.set(key.key(), JsonNodeFactory.instance.textNode(value));
            applied.put(key.path(), variable.get());
        }
        return applied;
    }
}
