package org.mlsbridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Optional;

/**
 * Typed reads from one mapping of the YAML tree ({@code xmpp}, or one entry of
 * {@code bridge.rooms}), each failure added to the shared {@link Problems} under the key's full
 * name. A read that fails gives empty, so the caller goes on and finds the other problems too.
 */
final class Section {
    private final String prefix;
    private final ObjectNode node;
    private final Problems problems;
    private final Path baseDir;

    Section(String prefix, ObjectNode node, Problems problems, Path baseDir) {
        this.prefix = prefix;
        this.node = node;
        this.problems = problems;
        this.baseDir = baseDir;
    }

    /** The section's own name, e.g. {@code xmpp} or {@code bridge.rooms[0]}. */
    String name() {
        return prefix;
    }

    Problems problems() {
        return problems;
    }

    String keyName(String key) {
        return prefix + "." + key;
    }

    void problem(String key, String problem, String fix) {
        problems.add(keyName(key), problem, fix);
    }

    /** Reports every key not in {@code known}, with the nearest known key as a likely meaning. */
    void rejectUnknownKeys(Collection<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problem(name, "unknown key" + suggestion(name, known),
                        "remove it or correct its name; the keys of '" + prefix + "' are " + String.join(", ", known));
            }
        }
    }

    static String suggestion(String name, Collection<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> editDistance(name, k)))
                .filter(k -> editDistance(name, k) <= Math.max(2, k.length() / 3))
                .map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** Levenshtein distance: keys are short, so the quadratic table is fine. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The key's value as text; empty (and reported, if {@code requiredFix} is given) when absent. */
    Optional<String> text(String key, String requiredFix) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (requiredFix != null) {
                problem(key, "missing", requiredFix);
            }
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            problem(key, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"),
                    "write one value after '" + key + ":'");
            return Optional.empty();
        }
        return Optional.of(v.asText().strip());
    }

    Optional<String> text(String key) {
        return text(key, null);
    }

    /** A whole number in [min, max], or {@code fallback} when absent. */
    Optional<Integer> integer(String key, int fallback, int min, int max, String fix) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return node.has(key) && !node.get(key).isNull() && !node.get(key).isValueNode() ? Optional.empty()
                    : Optional.of(fallback);
        }
        long value;
        try {
            value = Long.parseLong(text.get().replace("_", ""));
        } catch (NumberFormatException e) {
            problem(key, "'" + text.get() + "' is not a whole number", fix);
            return Optional.empty();
        }
        if (value < min || value > max) {
            problem(key, value + " is out of range (" + min + " to " + max + ")", fix);
            return Optional.empty();
        }
        return Optional.of((int) value);
    }

    /** A path; a relative one is resolved against the folder of the configuration file. */
    Optional<Path> path(String key, String requiredFix) {
        Optional<String> text = text(key, requiredFix);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(baseDir.resolve(text.get()).normalize());
        } catch (java.nio.file.InvalidPathException e) {
            problem(key, "'" + text.get() + "' is not a valid path (" + e.getReason() + ")",
                    "give a file path such as /etc/mlsbridge/" + key);
            return Optional.empty();
        }
    }

    /** A path, or {@code fallback} in the configuration file's folder when the key is absent. */
    Optional<Path> path(String key, String requiredFix, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return Optional.of(baseDir.resolve(fallback).normalize());
        }
        return path(key, requiredFix);
    }

    JsonNode raw(String key) {
        return node.get(key);
    }
}
