package org.mlsbridge.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;

/**
 * How the command reports what went wrong: a usage error (unknown option, a value out of range,
 * a missing file) is one line and exit code 2; a failure while working is one line and exit
 * code 1. Stack traces are for developers: only with {@code MLSBRIDGE_DEBUG=1} in the environment.
 */
public final class ErrorHandlers {
    public static final String DEBUG_ENV = "MLSBRIDGE_DEBUG";

    private ErrorHandlers() {
    }

    public static void install(CommandLine cl) {
        boolean debug = "1".equals(System.getenv(DEBUG_ENV));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println(prefix(failed) + oneLine(ex.getMessage()) + " (see '" + qualifiedName(failed) + " --help')");
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            err.println(prefix(failed) + describe(ex));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
    }

    /** A failure in one line: its message, else what kind of failure it was. */
    static String describe(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return "failed (" + ex.getClass().getSimpleName() + ")";
        }
        return "failed: " + oneLine(message);
    }

    private static String prefix(CommandLine cl) {
        return qualifiedName(cl) + ": ";
    }

    private static String qualifiedName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName(" ");
    }

    private static String oneLine(String message) {
        String s = message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
        // picocli starts some messages with a capital; ours continue "mlsbridge bench: ..."
        boolean capitalisedWord = s.length() > 1 && Character.isUpperCase(s.charAt(0))
                && Character.isLowerCase(s.charAt(1));
        return capitalisedWord ? s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1) : s;
    }
}
