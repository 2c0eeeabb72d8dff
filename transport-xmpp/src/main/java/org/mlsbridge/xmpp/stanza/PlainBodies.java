package org.mlsbridge.xmpp.stanza;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.hints.element.StoreHint;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.jxmpp.jid.EntityBareJid;
import org.mlsbridge.bridge.transport.RoomEvent;

/**
 * Groupchat messages as a chat client without MLS writes them: a {@code <body>} and nothing of
 * mlsbridge's. A message that carries another end-to-end encryption's marker (XEP-0380) is not
 * plain text: its body is only that encryption's fallback.
 */
public final class PlainBodies {
    private static final String EME = "urn:xmpp:eme:0";

    private PlainBodies() {
    }

    /** Whether the message (already known to carry no {@code <mls>}) is a plain text message. */
    public static boolean isPlain(Message m) {
        return m.getType() == Message.Type.groupchat && m.getBody() != null && m.getSubject() == null
                && m.getExtensions("encryption", EME).isEmpty();
    }

    /** The body, if within {@link RoomEvent.PlainMessage#MAX_TEXT_BYTES}. */
    public static Optional<String> text(Message m) {
        String body = m.getBody();
        if (body == null || body.length() > RoomEvent.PlainMessage.MAX_TEXT_BYTES
                || body.getBytes(StandardCharsets.UTF_8).length > RoomEvent.PlainMessage.MAX_TEXT_BYTES) {
            return Optional.empty();
        }
        return Optional.of(body);
    }

    /** A groupchat message with {@code text} as its body, under our origin-id, archived. */
    public static Message roomText(EntityBareJid room, String originId, String text) {
        return StanzaBuilder.buildMessage(originId)
                .ofType(Message.Type.groupchat)
                .to(room)
                .setBody(text)
                .addExtension(new OriginIdElement(originId))
                .addExtension(StoreHint.INSTANCE)
                .build();
    }
}
