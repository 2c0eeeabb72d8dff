package org.mlsbridge.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of a run as a table (stdout) and as the JSON object of issue 7. */
record BenchReport(String machine, int suite, Map<Integer, Map<String, Object>> sizes) {
    static String describeMachine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the CPU stays unknown.
        }
        Runtime rt = Runtime.getRuntime();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%s, %d cores, %s %s, JDK %s, max heap %d MiB, load average %.1f", cpu,
                rt.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.version(), rt.maxMemory() >> 20, load);
    }

    void printTable(PrintStream out) {
        List<Integer> ns = List.copyOf(sizes.keySet());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "median (min-max) cpu"));
        for (int n : ns) {
            header.append(String.format(Locale.ROOT, " | %34s", "N=" + n));
        }
        out.println(header);
        out.println("-".repeat(header.length()));
        for (String key : BenchRunner.allKeys()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-24s", key));
            for (int n : ns) {
                row.append(String.format(Locale.ROOT, " | %34s", cell(sizes.get(n).get(key))));
            }
            out.println(row);
        }
    }

    private static String cell(Object v) {
        return switch (v) {
            case Stats s when !Double.isNaN(s.cpuMedian()) -> number(s.median()) + " (" + number(s.min()) + "-"
                    + number(s.max()) + ") cpu " + number(s.cpuMedian());
            case Stats s -> number(s.median()) + " (" + number(s.min()) + "-" + number(s.max()) + ")";
            case Long l -> String.format(Locale.ROOT, "%,d", l);
            case null -> "-";
            default -> v.toString();
        };
    }

    private static String number(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"machine\": ").append(quote(machine)).append(",\n  \"suite\": ").append(suite)
                .append(",\n  \"sizes\": {");
        boolean firstSize = true;
        for (Map.Entry<Integer, Map<String, Object>> e : sizes.entrySet()) {
            b.append(firstSize ? "\n" : ",\n").append("    \"").append(e.getKey()).append("\": {");
            firstSize = false;
            boolean first = true;
            for (Map.Entry<String, Object> m : e.getValue().entrySet()) {
                b.append(first ? "\n" : ",\n").append("      ").append(quote(m.getKey())).append(": ")
                        .append(json(m.getValue()));
                first = false;
            }
            b.append("\n    }");
        }
        b.append("\n  }\n}\n");
        return b.toString();
    }

    void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    private static String json(Object v) {
        return switch (v) {
            case Stats s when !Double.isNaN(s.cpuMedian()) -> String.format(Locale.ROOT,
                    "{\"median\": %.4f, \"min\": %.4f, \"max\": %.4f, \"cpu_median\": %.4f}", s.median(), s.min(),
                    s.max(), s.cpuMedian());
            case Stats s -> String.format(Locale.ROOT, "{\"median\": %.4f, \"min\": %.4f, \"max\": %.4f}", s.median(),
                    s.min(), s.max());
            case Long l -> Long.toString(l);
            case null -> "null";
            default -> quote(v.toString());
        };
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
