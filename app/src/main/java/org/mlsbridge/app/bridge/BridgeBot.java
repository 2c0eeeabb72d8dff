package org.mlsbridge.app.bridge;

import java.time.Duration;
import org.mlsbridge.bridge.manager.Counters;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberModeBot;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;

/** The bridge's bot in either mode, as the loop and the metrics use it. */
sealed interface BridgeBot {
    int step(int max, Duration wait) throws TransportException, InterruptedException;

    Counters counters();

    /** The epoch of the room's group as the bot sees it, -1 before it sees one. */
    long epoch(RoomId room);

    /** Members of the room's group as the bot sees them. */
    int members(RoomId room);

    /** The default: an external sender, no group secret. */
    record ExternalSender(ExternalSenderBot bot) implements BridgeBot {
        @Override
        public int step(int max, Duration wait) throws TransportException, InterruptedException {
            return bot.step(max, wait);
        }

        @Override
        public Counters counters() {
            return bot.counters();
        }

        @Override
        public long epoch(RoomId room) {
            return bot.epoch(room).orElse(-1L);
        }

        @Override
        public int members(RoomId room) {
            return bot.groupMembers(room).size();
        }
    }

    /**
     * A member of every group: what it decrypts is acknowledged at once, so the bridge keeps no
     * message (it relays ciphertext; only legacy users' plaintext passes through it, by design).
     */
    record Member(MemberModeBot bot) implements BridgeBot {
        @Override
        public int step(int max, Duration wait) throws TransportException, InterruptedException {
            int n = bot.step(max, wait);
            for (ReceivedMessage m : bot.client().received()) {
                bot.client().acknowledge(m);
            }
            return n;
        }

        @Override
        public Counters counters() {
            return bot.counters();
        }

        @Override
        public long epoch(RoomId room) {
            return bot.client().epoch(room).orElse(-1L);
        }

        @Override
        public int members(RoomId room) {
            return bot.client().groupMembers(room).size();
        }
    }
}
