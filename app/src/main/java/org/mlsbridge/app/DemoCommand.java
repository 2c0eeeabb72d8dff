package org.mlsbridge.app;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mlsbridge.app.cli.CommandIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge demo}: a scripted MLS conversation across an XMPP room and a Matrix room, through the bridge. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a scripted conversation in one MLS group spanning an XMPP room and a Matrix room, "
                + "through the bridge (relay and bot, external-sender mode: no group secret), with in-process "
                + "transports for both networks and real SQLite files in a temporary folder, and prints what "
                + "crossed each network, what each member read and each epoch change.",
                "Exits non-zero if any message was lost or could not be decrypted."})
public final class DemoCommand implements Callable<Integer> {
    private final CommandIo io;

    @Option(names = "--keep", description = "keep the temporary folder with the SQLite files and their key (demo.key)")
    boolean keep;

    @Option(names = "--verbose", description = "show the manager's log lines (never secrets or plaintext)")
    boolean verbose;

    DemoCommand(CommandIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        Path dir = Files.createTempDirectory("mlsbridge-demo-");
        PrintStream out = io.out();
        try {
            Demo.Result r = new Demo(dir, out).run();
            return r.lost() == 0 && r.undecryptable() == 0 ? 0 : 1;
        } finally {
            if (keep) {
                out.println("SQLite files kept in " + dir + " (their key-encryption key: " + dir.resolve("demo.key") + ")");
            } else {
                Demo.deleteTree(dir);
            }
        }
    }
}
