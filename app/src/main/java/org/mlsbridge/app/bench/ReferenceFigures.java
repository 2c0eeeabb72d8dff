package org.mlsbridge.app.bench;

import java.util.Map;

/**
 * Published figures of another MLS stack, keyed like our JSON: key -> group size -> median, in
 * the key's unit. Only what docs/performance.md cites, so the plot and the text agree.
 */
record ReferenceFigures(String stack, Map<String, Map<Integer, Double>> figures) {
    /**
     * The C++ stack's figures of the section "Against the C++ stack" in docs/performance.md,
     * measured on sparse trees (so they sit beside our {@code sparse_} keys); encrypt and
     * decrypt of a 100-byte message are given at 10,000 members only.
     */
    static final ReferenceFigures CPP_STACK = new ReferenceFigures("C++ stack", Map.of(
            "sparse_add_commit_ms", Map.of(1024, 11.8, 10_000, 150.0),
            "sparse_add_process_ms", Map.of(1024, 9.2, 10_000, 111.0),
            "sparse_join_ms", Map.of(1024, 177.0, 10_000, 1960.0),
            "sparse_update_commit_ms", Map.of(1024, 181.0, 10_000, 1840.0),
            "sparse_update_process_ms", Map.of(1024, 26.0, 10_000, 340.0),
            "app_encrypt_us", Map.of(10_000, 180.0),
            "app_decrypt_us", Map.of(10_000, 350.0)));

    Map<Integer, Double> of(String key) {
        return figures.getOrDefault(key, Map.of());
    }
}
