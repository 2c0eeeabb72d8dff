package org.mlsbridge.config;

import java.util.List;

/** A configuration that cannot be used, with every problem found (not only the first). */
public final class ConfigException extends Exception {
    private final String source;
    private final transient List<Problem> problems;

    public ConfigException(String source, List<Problem> problems) {
        super(message(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) the problems are in. */
    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(String source, List<Problem> problems) {
        StringBuilder b = new StringBuilder(source).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (Problem p : problems) {
            b.append(System.lineSeparator()).append("  - ").append(p.describe());
        }
        return b.toString();
    }
}
