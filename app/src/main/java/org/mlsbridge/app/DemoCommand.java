package org.mlsbridge.app;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mlsbridge.app.cli.CommandIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlsbridge demo}: a scripted MLS conversation over the in-memory transport. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a scripted conversation among several MLS members and the bridge bot "
                + "(external-sender mode) over the in-memory transport, with real SQLite files in a temporary "
                + "folder, and prints what crossed the wire, what each member read and each epoch change.",
                "Exits non-zero if any message was lost or could not be decrypted."})
public final class DemoCommand implements Callable<Integer> {
    private final CommandIo io;

    @Option(names = "--keep", description = "keep the temporary folder with the SQLite files")
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
                out.println("SQLite files kept in " + dir);
            } else {
                Demo.deleteTree(dir);
            }
        }
    }
}
