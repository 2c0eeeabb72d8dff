package org.mlsbridge.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mlsbridge} command. */
@Command(name = "mlsbridge", mixinStandardHelpOptions = true, version = "mlsbridge 0.1.0",
        description = "MLS (RFC 9420) end-to-end encryption for XMPP and Matrix.",
        subcommands = {DemoCommand.class, VectorsCommand.class, org.mlsbridge.app.bench.BenchCommand.class,
                InteropClientCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
