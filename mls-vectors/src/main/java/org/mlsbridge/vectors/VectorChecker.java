package org.mlsbridge.vectors;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks one kind of test-vector file (one JSON array of cases of the same shape). */
public interface VectorChecker {
    /** The file's usual base name without ".json", e.g. {@code tree-math}. */
    String kind();

    /**
     * Whether a case of unknown origin has this kind's shape (its field names), so files under
     * other names are still recognised.
     */
    boolean recognizes(JsonNode testCase);

    /** Runs one case; any thrown exception (including {@link VectorMismatch}) is a failure. */
    void check(JsonNode testCase) throws Exception;
}
