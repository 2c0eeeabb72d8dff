package org.mlsbridge.app.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Load for the fault tests with members in this JVM: each turn steps the world, then a random
 * member (the witness or an in-process one) sends a message or, now and then, asks for a commit.
 * A send that fails on the network after the message was stored counts as sent (the outbox sends
 * it later); one that fails before counts as refused.
 */
final class Chatter {
    private final FaultWorld w;
    private final Conversation conv;
    private final Random rng;
    private final List<String> speakers = new ArrayList<>();
    private int seq;

    Chatter(FaultWorld w, Conversation conv, Random rng) {
        this.w = w;
        this.conv = conv;
        this.rng = rng;
        speakers.add(FaultWorld.WITNESS);
        speakers.addAll(w.inProcess.keySet());
        for (String s : speakers) {
            conv.member(s, w.network.user(s).value());
        }
    }

    /** Steps the world, then one to four members each send a message (or now and then ask for a commit). */
    void turn() throws Exception {
        w.step();
        int burst = 1 + rng.nextInt(4);
        for (int i = 0; i < burst; i++) {
            String who = speakers.get(rng.nextInt(speakers.size()));
            MemberClient c = who.equals(FaultWorld.WITNESS) ? w.witness : w.inProcess.get(who);
            if (rng.nextInt(100) < 5) {
                c.requestCommit(w.room);
            } else {
                say(w, conv, who, who + "-" + (++seq));
            }
        }
    }

    static void say(FaultWorld w, Conversation conv, String who, String text) throws Exception {
        MemberClient c = who.equals(FaultWorld.WITNESS) ? w.witness : w.inProcess.get(who);
        conv.asked(who, text);
        long before = c.counters().messagesOut();
        try {
            boolean sent = c.send(w.room, Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))).isPresent();
            conv.answer((sent ? "sent " : "notyet ") + text);
        } catch (TransportException e) {
            if (!e.retryable()) {
                throw e;
            }
            conv.answer((c.counters().messagesOut() > before ? "sent " : "failed ") + text);
        }
    }
}
