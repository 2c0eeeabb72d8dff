package org.mlsbridge.app.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mlsbridge bridge --config FILE} as a separate JVM (the app's main class on this test's
 * class path), so a test can SIGKILL it. Its output (stdout and stderr) goes to a log file that
 * {@link #awaitLine} reads; each start appends to the same file.
 */
public final class BridgeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final long startOffset;

    private BridgeProcess(Process process, Path log, long startOffset) {
        this.process = process;
        this.log = log;
        this.startOffset = startOffset;
    }

    /** Starts the bridge on {@code config}, appending its output to {@code log}; waits until it runs. */
    public static BridgeProcess start(Path config, Path log, Duration timeout) throws Exception {
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.mlsbridge=" + System.getProperty("bridge.log.level", "info"));
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        String sqliteTmp = System.getProperty("org.sqlite.tmpdir");
        if (sqliteTmp != null) {
            cmd.add("-Dorg.sqlite.tmpdir=" + sqliteTmp);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("org.mlsbridge.app.Main");
        cmd.add("bridge");
        cmd.add("--config");
        cmd.add(config.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BridgeProcess b = new BridgeProcess(p, log, offset);
        b.awaitLine("bridge: running", timeout);
        return b;
    }

    /** Surefire's class path of this test run (the JVM's own is a manifest-only jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The output of this start, so far. */
    public String output() throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(startOffset, all.length), (int) Math.max(0, all.length - startOffset),
                StandardCharsets.UTF_8);
    }

    /** Waits until a line of this start contains {@code text}; fails if the process ends first. */
    public String awaitLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output().split("\n")) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the bridge ended (exit " + process.exitValue() + ") before '" + text
                        + "':\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' from the bridge within " + timeout + ":\n" + output());
    }

    /** SIGKILL: no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code (the bridge finishes the current event and closes). */
    public int terminate(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the bridge did not stop within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
