package org.mlsbridge.mls.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeds from the MLS working group's interoperability vectors (bundled with mls-vectors): real
 * encodings from other implementations, so the fuzzer starts from every structure they use.
 * Only the first cases of each file are taken; the fuzzer mutates from there.
 */
final class VectorSeeds {
    private static final Path DIR = Path.of("..", "mls-vectors", "src", "test", "resources", "test-vectors");

    private VectorSeeds() {
    }

    static List<JsonNode> cases(String file) {
        try {
            JsonNode root = new ObjectMapper().readTree(DIR.resolve(file).toFile());
            List<JsonNode> out = new ArrayList<>();
            root.forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("test vectors not found at " + DIR.toAbsolutePath(), e);
        }
    }

    static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }

    /** {@code field} of the first {@code count} cases of {@code file}, named "file[i].field". */
    static Stream<Arguments> field(String file, String field, int count) {
        return mapped(file, count, field, c -> hex(c, field));
    }

    /** A seed per case built by {@code seed}, for targets whose input combines several fields. */
    static Stream<Arguments> mapped(String file, int count, String what, Function<JsonNode, byte[]> seed) {
        List<JsonNode> all = cases(file);
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, all.size()); i++) {
            if (all.get(i).hasNonNull(what) || !all.get(i).has(what)) {
                out.add(named(file + "[" + i + "]." + what, seed.apply(all.get(i))));
            }
        }
        return out.stream();
    }

    static Arguments named(String name, byte[] data) {
        return Arguments.of(Named.of(name, data));
    }
}
