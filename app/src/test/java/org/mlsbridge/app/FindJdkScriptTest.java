package org.mlsbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/find-jdk.sh, sourced as the launcher and CI do, with made-up JDKs of known versions. */
class FindJdkScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("scripts/find-jdk.sh");

    @TempDir
    Path dir;

    /** A folder that looks like a JDK whose java reports {@code version}. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n",
                StandardCharsets.US_ASCII);
        Path javac = Files.writeString(bin.resolve("javac"), "#!/bin/sh\n", StandardCharsets.US_ASCII);
        for (Path p : new Path[] {java, javac}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir.resolve(name);
    }

    private String chosenFor(Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; . \"$1\"; find_jdk21; printf '%s' \"$JAVA_HOME\"", "find-jdk", SCRIPT.toString());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.redirectErrorStream(false);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    @Test
    void aJavaHomeOf21OrNewerIsKeptEvenWhenANewerJdkIsInstalled() throws Exception {
        Path jdk21 = fakeJdk("jdk-21", "21");
        assertThat(chosenFor(jdk21)).isEqualTo(jdk21.toString());
        Path jdk22 = fakeJdk("jdk-22", "22");
        assertThat(chosenFor(jdk22)).isEqualTo(jdk22.toString());
    }

    @Test
    void aJavaHomeOlderThan21IsPassedOverForOneThatWorks() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17");
        String chosen = chosenFor(jdk17);
        assertThat(chosen).isNotEqualTo(jdk17.toString());
        // The JDK running this test is 21 or newer, so the search finds at least one.
        assertThat(Path.of(chosen, "bin", "java")).isExecutable();
    }
}
