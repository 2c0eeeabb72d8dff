package org.mlsbridge.app.bridge;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mlsbridge.app.client.ChatSession;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.config.MlsbridgeConfig;

/** The chat client ({@code mlsbridge client}'s session) on its own thread, typed into and read line by line. */
final class ChatMember implements AutoCloseable {
    private static final String END = "\u0000end";
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> input = new LinkedBlockingQueue<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<Integer> result;

    ChatMember(MlsbridgeConfig.ForClient config, ClientOptions options) {
        result = thread.submit(() -> new ChatSession(config, options).run(() -> {
            try {
                String line = input.take();
                return line.equals(END) ? null : line;
            } catch (InterruptedException e) {
                return null;
            }
        }, lines::add));
    }

    void type(String line) {
        input.add(line);
    }

    boolean saw(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    @Override
    public void close() throws Exception {
        input.add("/quit");
        input.add(END);
        try {
            result.get(30, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }
}
