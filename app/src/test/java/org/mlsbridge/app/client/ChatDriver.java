package org.mlsbridge.app.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.config.MlsbridgeConfig;

/** One chat session fed through a pipe, its output lines collected, as a person at a terminal would see them. */
final class ChatDriver {
    private static final Duration T = Duration.ofSeconds(90);
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final PrintStream input;
    private final Future<Integer> result;
    private int seen;

    ChatDriver(MlsbridgeConfig.ForClient config, ClientOptions options, ExecutorService threads) throws IOException {
        PipedInputStream pipe = new PipedInputStream();
        input = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
        result = threads.submit(() -> new ChatSession(config, options).run(in::readLine, lines::add));
    }

    void type(String line) {
        input.println(line);
    }

    /** Waits for a line after the last one awaited that contains every part; returns it. */
    String await(String... parts) throws Exception {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = seen; i < lines.size(); i++) {
                String l = lines.get(i);
                if (List.of(parts).stream().allMatch(l::contains)) {
                    seen = i + 1;
                    return l;
                }
            }
            if (result.isDone()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with " + List.of(parts) + " in:\n" + String.join("\n", lines));
    }

    int exitCode() throws Exception {
        return result.get(30, TimeUnit.SECONDS);
    }
}
