package org.mlsbridge.app.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Puts this process behind the servers for the CPU (Linux niceness {@value #NICENESS}).
 *
 * <p>The load run plays twenty members' devices on the servers' own cores. Each message makes
 * every member check a signature, decrypt and commit its store at the same moment; at normal
 * priority that burst competes with Prosody and Synapse and with the sender's own connection, so
 * part of what the MLS phase measured was twenty devices sharing two cores, which no deployment
 * does. At a lower priority the servers run first whenever both could, and the members' work
 * waits for them instead. The relay and the bridge's bot are in this process too, so they yield
 * as well: that can only make the MLS phase look slower, never faster.
 *
 * <p>Linux keeps a niceness per thread and a new thread starts with its creator's, so renicing
 * every thread that exists now also covers the ones started later (member loops, connection
 * threads). The servers must already be running: a process started later from here inherits it.
 */
final class ClientPriority {
    static final int NICENESS = 10;

    private ClientPriority() {
    }

    /** Lowers this process's priority; returns how it runs, for the report. */
    static String yieldToServers() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return "at normal priority (no /proc/self/task: not Linux)";
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(NICENESS), "-p"));
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.map(p -> p.getFileName().toString()).forEach(command::add);
        } catch (IOException e) {
            return "at normal priority (cannot list this process's threads: " + e.getMessage() + ")";
        }
        try {
            Process renice = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(10, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return "at normal priority (renice did not finish in 10 s)";
            }
            // a thread that ended meanwhile makes renice fail for it alone; the others are done
            return renice.exitValue() == 0 || lowered() ? "at nice " + NICENESS + ", behind the servers"
                    : "at normal priority (renice failed with exit code " + renice.exitValue() + ")";
        } catch (IOException e) {
            return "at normal priority (cannot run renice: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "at normal priority (interrupted)";
        }
    }

    /** Whether the calling thread now runs at {@value #NICENESS} (field 19 of its stat line). */
    static boolean lowered() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // the command name (field 2) is in parentheses and may hold spaces
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(after[16]) == NICENESS;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
