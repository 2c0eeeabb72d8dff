package org.mlsbridge.app.client;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.KeyChange;
import org.mlsbridge.mls.codec.Bytes;

/**
 * How the client shows things: one line per event, with a short prefix that says what it is
 * ({@code <alice>} a message, {@code ***} an event, {@code !} a warning). Text from the network is
 * shown with control characters replaced, so no message can move the cursor or fake a line.
 */
final class ChatRenderer {
    private final Consumer<String> out;

    ChatRenderer(Consumer<String> out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    void message(ReceivedMessage m) {
        String text = new String(m.text().toByteArray(), StandardCharsets.UTF_8);
        out.accept("<" + name(m.sender()) + "> " + printable(text)
                + (m.endToEndEncrypted() ? "" : "   [NOT end-to-end encrypted: relayed by the bridge]"));
    }

    void sent(long epoch, int recipients) {
        out.accept("*** sent in epoch " + epoch + " to " + recipients + (recipients == 1 ? " member" : " members"));
    }

    void joined(UserId user) {
        out.accept("*** " + name(user) + " is now in the group");
    }

    void left(UserId user) {
        out.accept("*** " + name(user) + " is no longer in the group");
    }

    void epoch(long epoch) {
        out.accept("*** epoch " + epoch);
    }

    void inGroup(long epoch, int members) {
        out.accept("*** in the group: epoch " + epoch + ", " + members + (members == 1 ? " member" : " members"));
    }

    void keyChange(KeyChange k) {
        out.accept("! key change: " + name(k.identity()) + " now signs with " + k.fingerprint()
                + (k.earlier().isEmpty() ? "" : " (before: " + String.join(", ", k.earlier()) + ")")
                + "; compare it with them out of band");
    }

    void bridgeReads() {
        out.accept("! NOT end-to-end encrypted from the bridge: this group is bridged in member mode, so the "
                + "bridge reads what is said here and posts it in the clear for room users without an MLS client");
    }

    void members(Map<UserId, List<String>> fingerprints) {
        if (fingerprints.isEmpty()) {
            out.accept("*** not in the room's group yet");
            return;
        }
        out.accept("*** " + fingerprints.size() + (fingerprints.size() == 1 ? " member:" : " members:"));
        fingerprints.forEach((user, keys) -> keys.forEach(k -> out.accept("    " + user.value() + "  " + k)));
    }

    void epochInfo(long epoch, Bytes authenticator) {
        String hex = HexFormat.of().formatHex(authenticator.toByteArray());
        out.accept("*** epoch " + epoch + ", authenticator " + hex.substring(0, Math.min(16, hex.length())));
    }

    void info(String line) {
        out.accept("*** " + printable(line));
    }

    void warning(String line) {
        out.accept("! " + printable(line));
    }

    void help() {
        ChatInput.HELP.lines().forEach(out);
    }

    /** The account without its network prefix, which the room already implies. */
    static String name(UserId user) {
        String v = user.value();
        if (v.startsWith("xmpp:")) {
            return printable(v.substring(5));
        }
        if (v.startsWith("matrix:u/")) {
            return printable("@" + v.substring(9));
        }
        return printable(v);
    }

    /** Control characters (escape sequences, line breaks, bidi overrides) as '?'. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean control = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            b.appendCodePoint(control ? '?' : cp);
        });
        return b.toString();
    }
}
