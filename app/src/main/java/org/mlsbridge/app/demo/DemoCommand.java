package org.mlsbridge.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mlsbridge.app.Main;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.servers.LocalServerException;
import org.mlsbridge.servers.LocalServers;
import org.mlsbridge.servers.ServerInstaller;
import org.mlsbridge.servers.ServersUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge demo}: a scripted MLS conversation across an XMPP room and a Matrix room, through the bridge. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a scripted conversation in one MLS group spanning an XMPP room and a Matrix room, "
                + "through the bridge (relay and bot, external-sender mode: no group secret), with in-process "
                + "transports for both networks (or, with --servers, a local Prosody and Synapse) and real SQLite "
                + "files in a temporary folder, and prints what crossed each network, what each member read and "
                + "each epoch change.",
                "Exits non-zero if any message was lost or could not be decrypted."})
public final class DemoCommand implements Callable<Integer> {
    private final CommandIo io;
    /** Smack logs through java.util.logging (a presence after a member left, say); held, as JUL keeps loggers weakly. */
    private final Logger smackLog = Logger.getLogger("org.jivesoftware");

    @Option(names = "--servers", description = "run it over a local Prosody and Synapse on 127.0.0.1, started for "
            + "the run (free ports, data in a temporary folder) and stopped after it, also on Ctrl-C; installed first "
            + "when missing (needs root and apt-get; the Synapse chroot is cached in $HOME/.cache/mlsbridge)")
    boolean servers;

    @Option(names = "--keep", description = "keep the temporary folder with the SQLite files and their key (demo.key)")
    boolean keep;

    @Option(names = "--verbose", description = "show the manager's log lines (never secrets or plaintext)")
    boolean verbose;

    public DemoCommand(CommandIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
            smackLog.setLevel(Level.SEVERE);
        }
        DemoNetworks networks;
        if (servers) {
            try {
                ServerInstaller.ensureInstalled(step -> io.err().println("demo: " + step));
                io.err().println("demo: starting a local Prosody and Synapse on 127.0.0.1");
                networks = new ServerNetworks(LocalServers.start());
            } catch (ServersUnavailableException e) {
                io.err().println("mlsbridge demo: " + e.getMessage());
                return Main.USAGE;
            } catch (LocalServerException e) {
                io.err().println("mlsbridge demo: a local server did not start: " + e.getMessage());
                return 1;
            }
        } else {
            networks = new InMemoryNetworks();
        }
        Path dir = Files.createTempDirectory("mlsbridge-demo-");
        // Interrupted (Ctrl-C), the files go (or stay) as at the end; the servers stop on their own.
        Thread onExit = Thread.ofPlatform().unstarted(() -> finish(dir));
        Runtime.getRuntime().addShutdownHook(onExit);
        try (networks) {
            Demo.Result r = new Demo(dir, io.out(), networks).run();
            return r.lost() == 0 && r.undecryptable() == 0 ? 0 : 1;
        } finally {
            if (removed(onExit)) {
                finish(dir);
            }
        }
    }

    private static boolean removed(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false; // the hook runs
        }
    }

    /** Deletes the demo's files, or says where they are kept. */
    private void finish(Path dir) {
        if (keep) {
            io.out().println("SQLite files kept in " + dir + " (their key-encryption key: " + dir.resolve("demo.key") + ")");
            return;
        }
        try {
            Demo.deleteTree(dir);
        } catch (IOException e) {
            io.err().println("mlsbridge demo: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
