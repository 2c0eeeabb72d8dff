package org.mlsbridge.vectors;

/** The outcome of one case of a vector file; {@code reason} is null when it passed. */
public record CaseResult(int index, String reason) {
    public boolean passed() {
        return reason == null;
    }
}
