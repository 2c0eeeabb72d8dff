package org.mlsbridge.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.app.cli.Progress;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the bench at tiny sizes (not timed) so that the command and its JSON cannot rot. */
class BenchCommandTest {
    private static final List<String> SIZES = List.of("2", "16");

    @Test
    void quickRunWritesEveryKeyForEverySizeAndThePlot(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Path png = dir.resolve("bench.png");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8);
        BenchCommand command = new BenchCommand(new CommandIo(out, System.err, false));
        new CommandLine(command).parseArgs("--sizes", String.join(",", SIZES), "--reps", "1", "--no-warm-up",
                "--json", json.toString(), "--plot", png.toString());
        int exit = command.run(out, Progress.NONE);

        assertThat(exit).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG that ImageIO can read").isNotNull();
        assertThat(image.getWidth()).isEqualTo(BenchPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(BenchPlot.HEIGHT);
        assertThat(BenchPlotTest.distinctColours(image)).as("more than a blank canvas").isGreaterThan(50);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("machine").asText()).isNotBlank();
        assertThat(root.get("suite").asInt()).isEqualTo(1);
        assertThat(root.get("sizes").size()).isEqualTo(SIZES.size());
        for (String n : SIZES) {
            JsonNode size = root.get("sizes").get(n);
            assertThat(size).as("size " + n).isNotNull();
            for (String key : BenchRunner.allKeys()) {
                JsonNode v = size.get(key);
                assertThat(v).as(n + "/" + key).isNotNull();
                if (key.equals("heap_bytes")) {
                    assertThat(v.asLong()).as(n + "/" + key).isNotNegative();
                } else if (key.endsWith("_bytes")) {
                    assertThat(v.asLong()).as(n + "/" + key).isPositive();
                } else {
                    for (String stat : List.of("median", "min", "max")) {
                        assertThat(v.get(stat).isNumber()).as(n + "/" + key + "/" + stat).isTrue();
                        assertThat(v.get(stat).asDouble()).as(n + "/" + key + "/" + stat).isPositive();
                    }
                    assertThat(v.get("min").asDouble()).isLessThanOrEqualTo(v.get("median").asDouble());
                    assertThat(v.get("median").asDouble()).isLessThanOrEqualTo(v.get("max").asDouble());
                }
            }
        }
        // The keys the issue names, spelled out so that a rename in the code cannot slip through.
        assertThat(BenchRunner.allKeys()).contains("add_commit_ms", "add_process_ms", "join_ms", "join_ext_tree_ms",
                "update_commit_ms", "update_process_ms", "remove_commit_ms", "remove_process_ms",
                "sparse_add_commit_ms", "sparse_add_process_ms", "sparse_join_ms", "sparse_join_ext_tree_ms",
                "sparse_update_commit_ms", "sparse_update_process_ms", "sparse_remove_commit_ms",
                "sparse_remove_process_ms", "app_encrypt_us", "app_decrypt_us", "build_ms", "state_bytes",
                "heap_bytes");
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("N=16", "update_commit_ms");

        // The same results read back: the same table, and a plot drawn without measuring again.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        PrintStream againOut = new PrintStream(again, true, StandardCharsets.UTF_8);
        Path png2 = dir.resolve("again.png");
        BenchCommand replay = new BenchCommand(new CommandIo(againOut, System.err, false));
        new CommandLine(replay).parseArgs("--from-json", json.toString(), "--plot", png2.toString());
        assertThat(replay.run(againOut, Progress.NONE)).isZero();
        // Timings come back rounded to the JSON's 4 decimals; sizes exactly.
        String first = table.toString(StandardCharsets.UTF_8);
        String replayed = again.toString(StandardCharsets.UTF_8);
        assertThat(replayed.lines().findFirst()).isEqualTo(first.lines().findFirst());
        for (String key : List.of("state_bytes", "heap_bytes")) {
            assertThat(replayed.lines().filter(l -> l.startsWith(key + " ")).findFirst())
                    .isEqualTo(first.lines().filter(l -> l.startsWith(key + " ")).findFirst());
        }
        assertThat(replayed).contains(BenchRunner.allKeys().toArray(String[]::new));
        BufferedImage redrawn = ImageIO.read(png2.toFile());
        assertThat(redrawn.getWidth()).isEqualTo(BenchPlot.WIDTH);
        assertThat(redrawn.getHeight()).isEqualTo(BenchPlot.HEIGHT);
    }
}
