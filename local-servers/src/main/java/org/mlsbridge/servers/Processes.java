package org.mlsbridge.servers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What both server launchers do with processes, ports and their folders. */
final class Processes {
    private Processes() {
    }

    /** A port of 127.0.0.1 free right now (a server started next takes it). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a short command to its end; its output, or an exception naming the command and its output. */
    static String run(List<String> command, Duration timeout) throws LocalServerException, InterruptedException {
        return run(command, String.join(" ", command), timeout);
    }

    /** {@link #run(List, Duration)} for a command with a secret in it: messages show {@code shown} instead. */
    static String run(List<String> command, String shown, Duration timeout)
            throws LocalServerException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LocalServerException(shown + ": " + e.getMessage(), e);
        }
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            out = "(output unreadable: " + e.getMessage() + ")";
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new LocalServerException(shown + " did not finish within " + timeout + ":\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new LocalServerException(shown + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    static void stop(Process p, Duration grace) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
            }
        }
    }

    /** SIGKILL, as a crash of the host would. */
    static void kill(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The last 40 lines of each of the server's log files, for a failure message. */
    static String logTail(Path dir, List<String> files) {
        StringBuilder sb = new StringBuilder();
        for (String name : files) {
            Path p = dir.resolve(name);
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                sb.append("--- ").append(name).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("--- ").append(name).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Waits until {@code ready} holds, failing early when the process exits. */
    static void awaitReady(Process p, String name, Duration timeout, ReadyCheck ready, Path dir, List<String> logs)
            throws LocalServerException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new LocalServerException(name + " exited with " + p.exitValue() + ":\n" + logTail(dir, logs));
            }
            if (ready.ready()) {
                return;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new LocalServerException(name + " was not ready within " + timeout + ":\n" + logTail(dir, logs));
    }

    /** Whether a starting server answers yet. */
    @FunctionalInterface
    interface ReadyCheck {
        boolean ready() throws InterruptedException;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes a stopped server's folder; one left behind (a file in use, no permission) only takes space. */
    static void deleteLeftover(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // nothing runs from it any more: a leftover is harmless
        }
    }

    /** Whether this process runs as root (the servers' users and the Synapse chroot need it). */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
