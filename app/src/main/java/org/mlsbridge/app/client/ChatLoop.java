package org.mlsbridge.app.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.mlsbridge.app.metrics.MetricsSource;
import org.mlsbridge.app.metrics.SourceSnapshot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SentMessage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.KeyChange;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.storage.StorageException;

/**
 * The MLS side of the chat client: the one thread that drives the {@link MemberClient}. It takes
 * what the user typed from a queue ({@link #submit}, from any thread), steps the client, and shows
 * what happened since the last turn: messages, members who came or went, epoch changes, key
 * changes. A network failure that may pass is shown once and retried; so is a database that cannot
 * be written (a full disk: what the user types is refused with the reason, nothing is stored or
 * sent, incoming messages wait on the server); anything else ends the loop.
 */
final class ChatLoop {
    private static final Duration TURN = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    /** How the user leaves the room on the network (the room's bot then removes them from the group). */
    interface RoomExit {
        void leave(RoomId room) throws TransportException;
    }

    private final MemberClient client;
    private final RoomId room;
    private final Optional<UserId> bot;
    private final RoomExit exit;
    private final ChatRenderer show;
    private final SourceSnapshot metrics;
    private final BlockingQueue<ChatInput> inputs = new LinkedBlockingQueue<>();
    private Set<UserId> members = Set.of();
    private long epoch = -1;
    private boolean networkTrouble;
    private boolean storageTrouble;
    /** Whether the user was told that the bridge reads this group (member mode). */
    private boolean toldBridgeReads;

    ChatLoop(MemberClient client, RoomId room, Optional<UserId> bot, RoomExit exit, ChatRenderer show) {
        this.client = Objects.requireNonNull(client, "client");
        this.room = Objects.requireNonNull(room, "room");
        this.bot = Objects.requireNonNull(bot, "bot");
        this.exit = Objects.requireNonNull(exit, "exit");
        this.show = Objects.requireNonNull(show, "show");
        this.metrics = new SourceSnapshot(client.self().value(), client.counters());
    }

    /** Queues a line the user typed; safe from any thread. */
    void submit(ChatInput input) {
        inputs.add(input);
    }

    /** What this client shows on a metrics endpoint. */
    MetricsSource metrics() {
        return metrics;
    }

    /**
     * Runs until {@code /quit}, {@code /leave} or a failure that will not pass.
     *
     * @return true if it ended as asked, false on a failure (already shown)
     */
    boolean run() throws InterruptedException {
        show.info("signed in as " + client.self().value() + ", room " + room.value() + "; /help for commands");
        refresh(true);
        if (epoch < 0) {
            show.info("not in the room's group yet: waiting to be added" + (bot.isPresent() ? " by the room's bot" : "")
                    + "; if the room has no group, /create starts one");
        }
        while (true) {
            List<ChatInput> batch = new ArrayList<>();
            inputs.drainTo(batch);
            for (ChatInput in : batch) {
                Optional<Boolean> end = handle(in);
                if (end.isPresent()) {
                    return end.get();
                }
            }
            try {
                client.step(200, inputs.isEmpty() ? TURN : Duration.ZERO);
                networkTrouble = false;
                if (storageTrouble) {
                    show.info("the database works again: catching up");
                    storageTrouble = false;
                }
                refresh(false);
            } catch (StorageException e) {
                // A full disk or a failing one: nothing of the event was stored, so it stays on the
                // server and is taken again once writes work. Shown once; retried until then.
                metrics.error();
                metrics.setHealthy(false);
                if (!storageTrouble) {
                    show.warning("cannot write the database, incoming messages wait on the server until it works "
                            + "again: " + e.getMessage());
                    storageTrouble = true;
                }
                Thread.sleep(RETRY.toMillis());
            } catch (TransportException e) {
                metrics.error();
                if (!e.retryable()) {
                    show.warning("connection lost for good: " + e.getMessage());
                    return false;
                }
                if (!networkTrouble) {
                    show.warning("network trouble, retrying: " + e.getMessage());
                    networkTrouble = true;
                }
                metrics.setHealthy(false);
                Thread.sleep(RETRY.toMillis());
            }
        }
    }

    /**
     * Once per session: a gatewayed message, or the room's bot as a group member, means the bridge
     * runs in member mode. It then reads the group, and posts what members write in the clear for
     * users without an MLS client: the user must know before typing more.
     */
    private void tellBridgeReads() {
        if (!toldBridgeReads) {
            show.bridgeReads();
            toldBridgeReads = true;
        }
    }

    /** Empty to go on; true or false to end the loop (as asked, or after a failure). */
    private Optional<Boolean> handle(ChatInput in) throws InterruptedException {
        try {
            switch (in) {
                case ChatInput.Say say -> send(say.text());
                case ChatInput.Members m -> show.members(client.fingerprints(room));
                case ChatInput.Epoch e -> epochInfo();
                case ChatInput.Create c -> create();
                case ChatInput.Leave l -> {
                    return leave();
                }
                case ChatInput.Quit q -> {
                    return Optional.of(true);
                }
                case ChatInput.Help h -> show.help();
                case ChatInput.Unknown u -> show.warning("unknown command " + u.command() + "; /help lists them");
                case ChatInput.Blank b -> {
                }
            }
        } catch (TransportException e) {
            metrics.error();
            show.warning("not done, the network failed: " + e.getMessage());
        } catch (MlsException e) {
            metrics.error();
            show.warning("not done: " + e.getMessage());
        } catch (StorageException e) {
            metrics.error();
            show.warning("not done, nothing was stored or sent: cannot write the database: " + e.getMessage());
        }
        return Optional.empty();
    }

    private Optional<Boolean> leave() {
        try {
            exit.leave(room);
        } catch (TransportException e) {
            show.warning("not left: " + e.getMessage());
            return Optional.empty();
        }
        show.info("left " + room.value() + "; the room's bot removes you from the group");
        return Optional.of(true);
    }

    private void send(String text) throws MlsException, TransportException, InterruptedException {
        long storedBefore = client.counters().messagesOut();
        Optional<SentMessage> sent;
        try {
            sent = client.send(room, Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (TransportException | StorageException e) {
            if (client.counters().messagesOut() == storedBefore) {
                throw e; // nothing was stored: reported as not done
            }
            // stored and queued; what failed came after: sending it, or the database once it was sent
            metrics.error();
            show.warning(e instanceof TransportException
                    ? "stored; it goes out when the network works again: " + e.getMessage()
                    : "stored and sent, but the database failed afterwards: " + e.getMessage());
            return;
        }
        if (sent.isEmpty()) {
            show.warning("not sent: not in the room's group yet (/create starts one if the room has none)");
            return;
        }
        show.sent(sent.get().epoch(), sent.get().members().size());
    }

    private void epochInfo() {
        Optional<Long> e = client.epoch(room);
        Optional<Bytes> auth = client.epochAuthenticator(room);
        if (e.isEmpty() || auth.isEmpty()) {
            show.info("not in the room's group yet");
            return;
        }
        show.epochInfo(e.get(), auth.get());
    }

    private void create() throws MlsException, TransportException {
        if (client.epoch(room).isPresent()) {
            show.warning("already in the room's group (epoch " + client.epoch(room).get() + ")");
            return;
        }
        List<ExternalSender> senders = new ArrayList<>();
        if (bot.isPresent()) {
            senders.add(client.externalSenderOf(bot.get()));
        } else {
            show.warning("no client.bot configured: nobody will be able to add members to this group");
        }
        client.createGroup(room, senders);
        show.info("group created" + (bot.isPresent() ? " with " + ChatRenderer.name(bot.get())
                + " as external sender (it adds the room's members)" : ""));
        refresh(false);
    }

    /** Shows what changed since the last turn, and updates the metrics snapshot. */
    private void refresh(boolean first) {
        for (ReceivedMessage m : client.received()) {
            if (m.room().equals(room)) {
                if (!m.endToEndEncrypted()) {
                    tellBridgeReads();
                }
                show.message(m);
            }
            client.acknowledge(m);
        }
        for (KeyChange k : client.keyChanges()) {
            show.keyChange(k);
            client.acknowledge(k);
        }
        Optional<Long> now = client.epoch(room);
        Set<UserId> current = new LinkedHashSet<>(client.groupMembers(room));
        if (now.isPresent() && now.get() != epoch) {
            if (epoch < 0) {
                show.inGroup(now.get(), current.size());
            } else {
                for (UserId u : current) {
                    if (!members.contains(u)) {
                        show.joined(u);
                    }
                }
                for (UserId u : members) {
                    if (!current.contains(u)) {
                        show.left(u);
                    }
                }
                show.epoch(now.get());
            }
        } else if (now.isEmpty() && epoch >= 0 && !first) {
            show.warning("no longer in the room's group");
        }
        if (bot.isPresent() && current.contains(bot.get())) {
            tellBridgeReads();
        }
        epoch = now.orElse(-1L);
        members = current;
        metrics.update(now.map(e -> List.of(new MetricsSource.RoomStatus(room.value(), e, current.size())))
                .orElse(List.of()), OptionalInt.empty());
        metrics.setHealthy(true);
    }
}
