package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;

/**
 * The text a member-mode bot posts in the clear for room members without MLS
 * (docs/wire-formats.md, "Gatewayed plain text"): {@code [via bridge, not end-to-end encrypted]
 * <sender>: <text>}, the sender being the account the message came from (authenticated by MLS, or
 * by the server for a legacy user), never a name taken from the text.
 *
 * <p>The text cannot pass for another labelled line: each of its line breaks is followed by two
 * spaces, and control and bidirectional-override characters become U+FFFD. A text too long for a
 * plain message is cut at a character boundary and says so.
 */
final class GatewayText {
    static final String LABEL = "[via bridge, not end-to-end encrypted] ";
    static final String CUT = " [cut by the bridge: too long for a plain message]";
    private static final String CONTINUATION = "\n  ";
    private static final char REPLACEMENT = '\uFFFD';

    private GatewayText() {
    }

    /** The post for {@code text} written by {@code sender}, at most {@link RoomEvent.PlainMessage#MAX_TEXT_BYTES}. */
    static String of(UserId sender, String text) {
        String head = LABEL + sender.address() + ": ";
        String body = clean(text);
        String post = head + body;
        if (utf8(post) <= RoomEvent.PlainMessage.MAX_TEXT_BYTES) {
            return post;
        }
        int budget = RoomEvent.PlainMessage.MAX_TEXT_BYTES - utf8(head) - utf8(CUT);
        return head + prefixOfAtMost(body, budget) + CUT;
    }

    /** Line breaks indented, controls and direction overrides replaced. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                out.append(CONTINUATION);
            } else if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                out.append(CONTINUATION);
            } else if (c == '\t') {
                out.append(c);
            } else if (Character.isISOControl(c) || isDirectionControl(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isDirectionControl(char c) {
        return c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' || c == '\u200E' || c == '\u200F'
                || c == '\u061C';
    }

    private static String prefixOfAtMost(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
