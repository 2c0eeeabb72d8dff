package org.mlsbridge.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.mlsbridge.app.bench.BenchCommand;
import org.mlsbridge.app.bridge.BridgeCommand;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.app.client.ClientCommand;
import org.mlsbridge.app.demo.DemoCommand;
import org.mlsbridge.app.load.LoadCommand;
import org.mlsbridge.app.cli.ErrorHandlers;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mlsbridge} command. */
@Command(name = "mlsbridge", mixinStandardHelpOptions = true, version = "mlsbridge 0.1.0",
        description = "MLS (RFC 9420) end-to-end encryption for XMPP and Matrix.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the work failed (a lost message, a failed vector, an error)",
                "2:bad usage (no command, an unknown option, a bad value)"})
public final class Main implements Callable<Integer> {
    /** Exit code of a usage error: no command, an unknown option, a bad value. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(CommandIo.system(), args));
    }

    /** Runs the command line on the given streams and returns the exit code (used in-process by tests). */
    public static int run(CommandIo io, String... args) {
        return commandLine(io).execute(args);
    }

    static CommandLine commandLine(CommandIo io) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new DemoCommand(io));
        cl.addSubcommand(new VectorsCommand(io));
        cl.addSubcommand(new BenchCommand(io));
        cl.addSubcommand(new ConfigCommand(io));
        cl.addSubcommand(new InteropClientCommand(io));
        cl.addSubcommand(new ClientCommand(io));
        cl.addSubcommand(new BridgeCommand(io));
        cl.addSubcommand(new LoadCommand(io));
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        ErrorHandlers.install(cl);
        return cl;
    }

    /** No command given: the usage, on stderr since nothing was done. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }
}
