package org.mlsbridge.app.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the test asked members to say, what each member confirmed as stored, and what each member
 * finally holds in its inbox; {@link #problems} compares them. A text the member confirmed must
 * reach every other member exactly once. A text it was asked to send but was killed before
 * answering may or may not have been stored: it reaches every other member once, or none.
 */
final class Conversation {
    /** One message in a member's inbox. */
    record Received(String serverId, String sender, String text) {
    }

    private final Map<String, String> authorOf = new LinkedHashMap<>();
    private final Set<String> confirmed = new HashSet<>();
    private final Set<String> refused = new HashSet<>();
    private final Map<String, String> userOf = new LinkedHashMap<>();
    private final Map<String, List<Received>> inboxes = new LinkedHashMap<>();

    /** {@code member} is a participant whose account URI is {@code user}. */
    void member(String member, String user) {
        userOf.put(member, user);
    }

    void asked(String member, String text) {
        authorOf.put(text, member);
    }

    /** An output line of the member's process, or of the in-process member's send. */
    void answer(String line) {
        if (line.startsWith("sent ")) {
            confirmed.add(line.substring(5));
        } else if (line.startsWith("notyet ") || line.startsWith("failed ")) {
            refused.add(line.substring(line.indexOf(' ') + 1));
        }
    }

    int confirmedCount() {
        return confirmed.size();
    }

    int askedCount() {
        return authorOf.size();
    }

    /** Confirmed texts that {@code member} should hold now, from everyone else. */
    long expectedAtLeast(String member) {
        return confirmed.stream().filter(t -> !authorOf.get(t).equals(member)).count();
    }

    void inbox(String member, List<Received> received) {
        inboxes.put(member, received);
    }

    List<String> problems() {
        List<String> out = new ArrayList<>();
        Map<String, Integer> holders = new LinkedHashMap<>();
        for (Map.Entry<String, List<Received>> e : inboxes.entrySet()) {
            String member = e.getKey();
            Set<String> texts = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (Received r : e.getValue()) {
                if (!texts.add(r.text())) {
                    out.add(member + " received " + r.text() + " twice");
                }
                if (!ids.add(r.serverId())) {
                    out.add(member + " holds server id " + r.serverId() + " twice");
                }
                String author = authorOf.get(r.text());
                if (author == null) {
                    out.add(member + " received " + r.text() + ", which nobody was asked to send");
                    continue;
                }
                if (!userOf.get(author).equals(r.sender())) {
                    out.add(member + " received " + r.text() + " from " + r.sender() + ", but " + author + " sent it");
                }
                if (refused.contains(r.text())) {
                    out.add(member + " received " + r.text() + ", which its sender refused to store");
                }
                holders.merge(r.text(), 1, Integer::sum);
            }
        }
        int others = inboxes.size() - 1;
        for (Map.Entry<String, String> e : authorOf.entrySet()) {
            String text = e.getKey();
            int held = holders.getOrDefault(text, 0);
            if (!inboxes.containsKey(e.getValue())) {
                continue;
            }
            if (confirmed.contains(text) && held != others) {
                out.add(text + " (confirmed by " + e.getValue() + ") reached " + held + " of " + others + " members");
            } else if (!confirmed.contains(text) && held != 0 && held != others) {
                out.add(text + " (unconfirmed, its sender was killed) reached " + held + " of " + others + " members");
            }
        }
        return out;
    }
}
