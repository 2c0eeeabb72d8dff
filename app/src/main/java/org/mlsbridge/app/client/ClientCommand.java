package org.mlsbridge.app.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.mlsbridge.app.Main;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.config.ConfigException;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.config.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlsbridge client --config FILE}: the terminal chat client. On a terminal it edits lines
 * with JLine and prints incoming lines above the prompt; otherwise it reads lines from standard
 * input and writes to standard output, so it can be scripted.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"An end-to-end encrypted (MLS) chat client for an XMPP or a Matrix account.",
                "Joins the room the configuration names; /help lists the commands."})
public final class ClientCommand implements Callable<Integer> {
    private final CommandIo io;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "the YAML configuration file: sections client and xmpp or matrix (docs/configuration.md)")
    Path file;

    public ClientCommand(CommandIo io) {
        this.io = io;
    }

    /** slf4j-simple's level; read when the first logger is made, which is after this command starts. */
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    @Override
    public Integer call() throws Exception {
        if (System.getProperty(LOG_LEVEL) == null && System.getenv("MLSBRIDGE_DEBUG") == null) {
            System.setProperty(LOG_LEVEL, "warn"); // the chat is the output: log lines only when something is wrong
        }
        MlsbridgeConfig.ForClient config;
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.load(file);
            loaded.notes().forEach(n -> io.err().println("note: " + n));
            config = loaded.config().forClient();
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                io.err().println(e.source() + ": " + p.describe());
            }
            return Main.USAGE;
        }
        ChatSession session = new ChatSession(config, ClientOptions.DEFAULT);
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                // not a terminal (piped or redirected): plain lines, no prompt, so it can be scripted
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                return session.run(in::readLine, line -> io.out().println(line));
            }
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("mlsbridge").build();
            return session.run(() -> readLine(reader), reader::printAbove);
        }
    }

    private static String readLine(LineReader reader) throws IOException {
        try {
            return reader.readLine("> ");
        } catch (UserInterruptException | EndOfFileException e) {
            return null; // Ctrl-C or Ctrl-D: quit
        }
    }
}
