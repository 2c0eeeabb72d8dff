package org.mlsbridge.vectors;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** Turns every case of a bundled vector file into its own JUnit test. */
final class VectorTests {
    private VectorTests() {
    }

    static JsonNode load(String fileName) {
        try (InputStream in = VectorTests.class.getResourceAsStream("/test-vectors/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled vector file " + fileName);
            }
            JsonNode cases = new ObjectMapper().readTree(in);
            if (!cases.isArray() || cases.isEmpty()) {
                throw new IllegalStateException(fileName + " holds no cases");
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<DynamicTest> cases(String fileName, VectorChecker checker) {
        JsonNode cases = load(fileName);
        return IntStream.range(0, cases.size()).mapToObj(i -> {
            JsonNode c = cases.get(i);
            String name = fileName + " #" + i + (c.has("cipher_suite") ? " suite " + c.get("cipher_suite").asInt() : "");
            return DynamicTest.dynamicTest(name, () -> {
                CaseResult r = VectorRunner.runCase(checker, c, i);
                if (!r.passed()) {
                    fail(r.reason());
                }
            });
        });
    }
}
