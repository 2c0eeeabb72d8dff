package org.mlsbridge.vectors;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one vector file. {@code kind} is null when no checker recognised the file, and
 * {@code error} is set when the file could not be read at all; both count as one failure.
 */
public record FileResult(Path file, String kind, List<CaseResult> cases, String error) {
    public long passed() {
        return cases.stream().filter(CaseResult::passed).count();
    }

    public long failed() {
        long failedCases = cases.stream().filter(c -> !c.passed()).count();
        return error != null ? failedCases + 1 : failedCases;
    }
}
