package org.mlsbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.cli.CommandIo;

/**
 * What a new user sees on a first run: usage and bad values are one clear line and exit code 2,
 * never a stack trace, and nothing long starts before its flags are known to be good. Runs the
 * command in-process, capturing both streams.
 */
class FirstRunTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        /** Checks the run is a usage error reported in exactly one line naming {@code what}. */
        Run isUsageErrorNaming(String... what) {
            assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(2);
            assertThat(err.lines().filter(l -> !l.isBlank()).count()).as("stderr lines: %s", err).isEqualTo(1);
            assertThat(err).contains(what);
            assertThat(err).doesNotContain("Exception", "\tat ", "com.fasterxml", "picocli.");
            return this;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new CommandIo(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: mlsbridge", "demo", "vectors", "bench");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void helpStillExits0() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: mlsbridge");
    }

    @Test
    void benchSizeZero() {
        run("bench", "--sizes", "0").isUsageErrorNaming("mlsbridge bench: --sizes", "at least 2 members, got 0");
    }

    @Test
    void benchNegativeSize() {
        run("bench", "--sizes", "-5").isUsageErrorNaming("--sizes", "-5");
    }

    @Test
    void benchSizeThatIsNotANumber() {
        run("bench", "--sizes", "2,many").isUsageErrorNaming("--sizes", "'many' is not an int");
    }

    @Test
    void benchUnknownSuite() {
        run("bench", "--suite", "99").isUsageErrorNaming("--suite: no cipher suite 99", "1 to 7");
    }

    @Test
    void benchZeroReps() {
        run("bench", "--reps", "0").isUsageErrorNaming("--reps", "got 0");
    }

    @Test
    void benchUnknownProfileOpListsEveryAcceptedOperationIncludingSparseOnes() {
        Run r = run("bench", "--profile-op", "bogus").isUsageErrorNaming("--profile-op: no operation 'bogus'");
        for (String key : java.util.List.of("add_commit_ms", "update_process_ms", "sparse_join_ms",
                "sparse_update_commit_ms", "sparse_remove_process_ms")) {
            assertThat(r.err()).contains(key);
        }
    }

    @Test
    void benchNonPositiveProfileSeconds() {
        run("bench", "--profile-op", "join_ms", "--profile-seconds", "0").isUsageErrorNaming("--profile-seconds");
    }

    @Test
    void benchJsonToAnUnwritablePathFailsBeforeTheRun() {
        Path missingFolder = dir.resolve("no-such-folder").resolve("bench.json");
        long t0 = System.nanoTime();
        Run r = run("bench", "--json", missingFolder.toString())
                .isUsageErrorNaming("--json: cannot write " + missingFolder, "no such folder");
        // The default run takes many minutes; refusing it must take no measurable part of that.
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void benchJsonOntoAFolderFailsBeforeTheRun() {
        run("bench", "--json", dir.toString()).isUsageErrorNaming("--json", "it is a folder");
    }

    @Test
    void benchPlotToAnUnwritablePathFailsBeforeTheRun() {
        Path missingFolder = dir.resolve("gone").resolve("bench.png");
        run("bench", "--plot", missingFolder.toString()).isUsageErrorNaming("--plot: cannot write");
    }

    @Test
    void benchFromJsonThatIsMissingOrNotAReport() throws Exception {
        Path missing = dir.resolve("none.json");
        run("bench", "--from-json", missing.toString())
                .isUsageErrorNaming("--from-json: no such file or directory: " + missing);
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"suite\": 1, \"sizes\": {");
        run("bench", "--from-json", broken.toString()).isUsageErrorNaming("is not valid JSON at line 1");
        Path other = Files.writeString(dir.resolve("other.json"), "[1, 2, 3]");
        run("bench", "--from-json", other.toString()).isUsageErrorNaming("not a report of 'mlsbridge bench --json'");
        run("bench", "--from-json", other.toString(), "--profile-op", "join_ms")
                .isUsageErrorNaming("give one of them");
    }

    @Test
    void unknownOptionAndUnknownCommand() {
        run("bench", "--frobnicate").isUsageErrorNaming("mlsbridge bench", "--frobnicate");
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void vectorsOnAMissingPathSaysSo() {
        Path missing = dir.resolve("nowhere");
        Run r = run("vectors", missing.toString())
                .isUsageErrorNaming("no such file or directory: " + missing);
        assertThat(r.out()).doesNotContain("passed");
    }

    @Test
    void vectorsOnAnEmptyFolderNamesIt() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty-folder"));
        run("vectors", empty.toString()).isUsageErrorNaming(empty.toString(), "no .json vector files");
    }

    @Test
    void vectorsOnBrokenJsonShowsWhereWithoutParserInternals() throws Exception {
        Path broken = Files.writeString(dir.resolve("tree-math.json"), "[{\"n\": 1,,}]");
        Run r = run("vectors", broken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(broken + ": 0 passed, 1 failed (not valid JSON at line 1, column 10: ");
        assertThat(r.out() + r.err()).doesNotContain("com.fasterxml", "Source:", "JsonParseException",
                "StreamReadFeature", "Exception");
    }

    @Test
    void vectorsShowProgressOnStderrOnlyWhenAsked() throws Exception {
        Path file = Files.writeString(dir.resolve("x.json"), "[]");
        assertThat(run("vectors", file.toString()).err()).isEmpty();
        assertThat(run("vectors", "--progress", file.toString()).err()).contains("vectors 1/1", "x.json");
    }

    @Test
    void configCheckReportsEveryProblemAndExits2() throws Exception {
        Path file = Files.writeString(dir.resolve("mlsbridge.yaml"), """
                xmpp:
                  jid: bridge
                  port: 70000
                  password-file: nowhere
                """);
        Run r = run("config", "check", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ": 3 problems", "xmpp.jid: ", "xmpp.port: ", "xmpp.password-file: ",
                "Fix: ");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void configCheckOfAValidFileShowsASummaryWithoutSecrets() throws Exception {
        Files.createDirectories(dir.resolve("secrets"));
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("secrets/xmpp-password"), "xmpp-secret-value\n");
        Files.writeString(dir.resolve("secrets/matrix-password"), "matrix-secret-value\n");
        Path file = dir.resolve("mlsbridge.yaml");
        assertThat(run("config", "example").exit()).isZero();
        Files.writeString(file, run("config", "example").out());
        Run r = run("config", "check", "--config", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("configuration is valid", "xmpp:bridge@example.org",
                "matrix:u/bridge:example.org", "lounge@muc.example.org <-> !lounge4f3a9c:example.org");
        assertThat(r.out()).doesNotContain("xmpp-secret-value", "matrix-secret-value");
    }

    @Test
    void configCheckWithoutAFileIsAUsageError() {
        run("config", "check").isUsageErrorNaming("--config");
        run("config", "check", "--config", dir.resolve("none.yaml").toString());
        assertThat(run("config", "check", "--config", dir.resolve("none.yaml").toString()).err())
                .contains("no such file");
    }
}
