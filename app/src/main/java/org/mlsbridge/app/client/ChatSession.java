package org.mlsbridge.app.client;

import java.io.IOException;
import java.util.function.Consumer;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.StoreException;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicies;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.config.ClientSettings;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.config.Network;
import org.mlsbridge.matrix.MatrixTransport;

/**
 * One run of the chat client: opens the store and the connection the configuration names, enters
 * the room, and runs the {@link ChatLoop} on its own thread while lines are read from
 * {@link Lines} on another. Ends when the loop ends ({@code /quit}, {@code /leave}, end of input,
 * or a failure).
 */
public final class ChatSession {
    /** Where typed lines come from: a terminal line editor, or any stream. */
    public interface Lines {
        /** The next line, or null at the end of input. */
        String read() throws IOException;
    }

    private final MlsbridgeConfig.ForClient config;
    private final ClientOptions options;

    public ChatSession(MlsbridgeConfig.ForClient config, ClientOptions options) {
        this.config = config;
        this.options = forRoom(config.client(), options);
    }

    /** In a bridged room the bot (the bridge's account here) is the room's sequencer. */
    static ClientOptions forRoom(ClientSettings settings, ClientOptions options) {
        if (!settings.bridged() || settings.bot().isEmpty()) {
            return options;
        }
        RoomId room = new RoomId(settings.room());
        RoomPolicy bridged = options.policies().forRoom(room).withSequencer(new UserId(settings.bot().get()));
        RoomPolicies others = options.policies();
        return options.withPolicies(r -> r.equals(room) ? bridged : others.forRoom(r));
    }

    /**
     * Runs the client.
     *
     * @param out takes each line to show; called from two threads, one line at a time
     * @return 0 when it ended as asked (or at the end of input), 1 on a failure (already shown)
     */
    public int run(Lines in, Consumer<String> out) throws InterruptedException {
        Consumer<String> show = line -> {
            synchronized (out) {
                out.accept(line);
            }
        };
        ChatRenderer renderer = new ChatRenderer(show);
        ClientSettings settings = config.client();
        RoomId room = new RoomId(settings.room());
        try (Connections connections = new Connections()) {
            SqliteClientStore store;
            try {
                store = Connections.store(settings.database(), settings.keyEncryptionKeyFile());
            } catch (StoreException | IllegalArgumentException | IllegalStateException e) {
                renderer.warning("cannot open the database " + settings.database() + ": " + e.getMessage());
                return 1;
            }
            Transport transport;
            try {
                transport = connections.open(settings.network(), config.xmpp().orElse(null),
                        config.matrix().orElse(null));
            } catch (TransportException e) {
                store.close();
                renderer.warning("cannot sign in: " + e.getMessage());
                return 1;
            }
            MemberClient client;
            try {
                client = new MemberClient(transport, store, options);
            } catch (TransportException e) {
                transport.close();
                store.close();
                renderer.warning("cannot publish KeyPackages: " + e.getMessage());
                return 1;
            }
            try {
                Connections.join(transport, room);
            } catch (TransportException e) {
                client.close();
                renderer.warning("cannot enter " + room.value() + ": " + e.getMessage());
                return 1;
            }
            try (client) {
                ChatLoop loop = new ChatLoop(client, room, settings.bot().map(UserId::new), exit(transport, settings),
                        renderer);
                Thread reader = Thread.ofPlatform().daemon().name("chat-input").start(() -> readLines(in, loop,
                        renderer));
                boolean ok = loop.run();
                reader.interrupt();
                return ok ? 0 : 1;
            }
        }
    }

    private static void readLines(Lines in, ChatLoop loop, ChatRenderer renderer) {
        try {
            for (String line = in.read(); line != null; line = in.read()) {
                ChatInput input = ChatInput.parse(line);
                loop.submit(input);
                if (input instanceof ChatInput.Quit || input instanceof ChatInput.Leave) {
                    return;
                }
            }
        } catch (IOException e) {
            renderer.warning("cannot read input: " + e.getMessage());
        }
        loop.submit(new ChatInput.Quit());
    }

    private static ChatLoop.RoomExit exit(Transport transport, ClientSettings settings) {
        if (settings.network() == Network.MATRIX && transport instanceof MatrixTransport matrix) {
            return matrix::leave;
        }
        return room -> {
            throw new TransportException("an XMPP client cannot leave a members-only room by itself: ask the room's "
                    + "owner to remove your membership (the room's bot then removes you from the group)", false);
        };
    }
}
