package org.mlsbridge.app.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One incarnation of {@link MemberMain} in a child JVM (the test's classpath), its stdout read
 * line by line, its stderr appended to a log file.
 */
final class MemberProcess {
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final long startedNanos = System.nanoTime();
    private final Thread reader;
    private volatile long readyNanos;

    private MemberProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.equals("ready")) {
                        readyNanos = System.nanoTime();
                    }
                    lines.add(l);
                }
            } catch (IOException e) {
                // killed: its output ends here
            }
        });
    }

    /** Starts {@link MemberMain} on {@code config}, its stderr appended to {@code log}. */
    static MemberProcess start(Path config, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dorg.sqlite.tmpdir=" + System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir")),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath(),
                MemberMain.class.getName(), config.toString()));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new MemberProcess(p);
    }

    /** Surefire's class path of this test run (the JVM's own may be a manifest-only jar). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Sends one command line; a dead process ignores it. */
    void command(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            // it died (killed): the line is lost with it, as the test expects
        }
    }

    /** The next output line, or null if none came within {@code wait}. */
    String poll(Duration wait) throws InterruptedException {
        return lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Output lines up to the first that matches, or fails after {@code timeout} (or if the process ends). */
    List<String> until(Predicate<String> last, Duration timeout) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l == null) {
                if (!process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("member process exited with " + process.exitValue() + " after " + got);
                }
                continue;
            }
            got.add(l);
            if (last.test(l)) {
                return got;
            }
        }
        throw new AssertionError("no expected line within " + timeout + "; got " + got + "\n" + threadDump());
    }

    /** Where the member's threads are now ({@code jcmd PID Thread.print}), to tell a hang from slowness. */
    String threadDump() {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return "--- threads of member process " + process.pid() + ":\n" + out;
        } catch (IOException | InterruptedException e) {
            return "--- no thread dump: " + e;
        }
    }

    /** Every line not yet taken; after the process ended, everything it wrote. */
    List<String> drain() throws InterruptedException {
        if (!process.isAlive()) {
            reader.join(Duration.ofSeconds(10));
        }
        List<String> out = new ArrayList<>();
        lines.drainTo(out);
        return out;
    }

    /** Whether it has said {@code ready} (signed in, KeyPackages published, in the room). */
    boolean ready() {
        return readyNanos != 0;
    }

    /** How long it took to get ready (zero while it is not). */
    Duration startUp() {
        return readyNanos == 0 ? Duration.ZERO : Duration.ofNanos(readyNanos - startedNanos);
    }

    /** Time since it said ready (zero while it has not). */
    Duration sinceReady() {
        return readyNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - readyNanos);
    }

    boolean alive() {
        return process.isAlive();
    }

    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** SIGKILL (what {@code destroyForcibly} sends on Linux), then waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int exitCode(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("member process did not exit");
        }
        return process.exitValue();
    }
}
