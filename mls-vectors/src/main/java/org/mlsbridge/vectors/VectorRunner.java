package org.mlsbridge.vectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs vector files: picks a checker per file (by name, else by the shape of its cases). */
public final class VectorRunner {
    private final List<VectorChecker> checkers;
    private final ObjectMapper mapper = new ObjectMapper();

    public VectorRunner(List<VectorChecker> checkers) {
        this.checkers = List.copyOf(checkers);
    }

    public static VectorRunner withAllCheckers() {
        return new VectorRunner(VectorCheckers.all());
    }

    /** Expands folders to the .json files inside them (sorted), keeping the order of the arguments. */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public Optional<VectorChecker> checkerFor(String fileName, JsonNode cases) {
        String stem = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        for (VectorChecker c : checkers) {
            if (c.kind().equals(stem)) {
                return Optional.of(c);
            }
        }
        if (cases.isArray() && !cases.isEmpty()) {
            for (VectorChecker c : checkers) {
                if (c.recognizes(cases.get(0))) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    public FileResult run(Path file) {
        JsonNode cases;
        try (InputStream in = Files.newInputStream(file)) {
            cases = mapper.readTree(in);
        } catch (IOException e) {
            return new FileResult(file, null, List.of(), readError(e));
        }
        if (cases == null || !cases.isArray()) {
            return new FileResult(file, null, List.of(), "not a JSON array of test cases");
        }
        Optional<VectorChecker> checker = checkerFor(file.getFileName().toString(), cases);
        if (checker.isEmpty()) {
            return new FileResult(file, null, List.of(), "unsupported vector kind (no checker recognises it)");
        }
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            results.add(runCase(checker.get(), cases.get(i), i));
        }
        return new FileResult(file, checker.get().kind(), results, null);
    }

    /**
     * Why a file could not be read, in the reader's terms: where the JSON breaks and how, without
     * the parser's class names or its idea of the source.
     */
    static String readError(IOException e) {
        if (e instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            String where = at == null || at.getLineNr() < 1 ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String what = j.getOriginalMessage() == null ? "" : ": " + j.getOriginalMessage().lines().findFirst()
                    .orElse("");
            return "not valid JSON" + where + what;
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot read the file: " + e.getMessage();
    }

    /** Runs one case, turning any failure into a reason; never throws. */
    public static CaseResult runCase(VectorChecker checker, JsonNode testCase, int index) {
        try {
            checker.check(testCase);
            return new CaseResult(index, null);
        } catch (Exception | AssertionError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new CaseResult(index, msg);
        } catch (StackOverflowError | OutOfMemoryError e) {
            return new CaseResult(index, e.getClass().getSimpleName());
        }
    }
}
