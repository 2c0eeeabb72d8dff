package org.mlsbridge.app.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back what {@code bench --json} wrote, so that a long run can be tabulated and plotted
 * again without measuring again. Numbers of samples are not in the JSON and read as 0.
 */
final class BenchReportReader {
    /** Why a file is not a bench report, in one line. */
    static final class NotAReport extends Exception {
        NotAReport(String message) {
            super(message);
        }
    }

    private BenchReportReader() {
    }

    static BenchReport read(Path file) throws NotAReport {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new NotAReport("no such file or directory: " + file);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new NotAReport(file + " is not valid JSON" + where);
        } catch (IOException e) {
            throw new NotAReport("cannot read " + file + (Files.isDirectory(file) ? ": it is a folder" : ""));
        }
        if (root == null || !root.path("sizes").isObject() || !root.path("suite").isInt() || root.path("sizes").isEmpty()) {
            throw new NotAReport(file + " is not a report of 'mlsbridge bench --json' (no \"suite\" and \"sizes\")");
        }
        Map<Integer, Map<String, Object>> sizes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("sizes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> size = it.next();
            int n;
            try {
                n = Integer.parseInt(size.getKey());
            } catch (NumberFormatException e) {
                throw new NotAReport(file + ": \"" + size.getKey() + "\" under \"sizes\" is not a group size");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (String key : BenchRunner.allKeys()) {
                values.put(key, value(file, n, key, size.getValue().get(key)));
            }
            sizes.put(n, values);
        }
        return new BenchReport(root.path("machine").asText("unknown machine"), root.get("suite").asInt(), sizes);
    }

    /** A Stats for a timed key, a Long for a size, null where the report has none (as it writes them). */
    private static Object value(Path file, int n, String key, JsonNode v) throws NotAReport {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isObject() && v.path("median").isNumber() && v.path("min").isNumber() && v.path("max").isNumber()) {
            double cpu = v.path("cpu_median").isNumber() ? v.get("cpu_median").asDouble() : Double.NaN;
            return new Stats(v.get("median").asDouble(), v.get("min").asDouble(), v.get("max").asDouble(), 0, cpu);
        }
        throw new NotAReport(file + ": sizes." + n + "." + key + " is neither a number nor {median, min, max}");
    }
}
