package org.mlsbridge.matrix;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * Plain text in a Matrix room (docs/wire-formats.md, "Gatewayed plain text"): what a chat client
 * without MLS writes, an {@code m.room.message} of msgtype {@code m.text}, and what mlsbridge posts
 * for such clients, msgtype {@code m.notice} (by Matrix convention a bot's message, which no bot
 * answers, so a notice is never taken as input and two bridges cannot feed each other).
 */
final class PlainContent {
    static final String EVENT = "m.room.message";
    static final String TEXT = "m.text";
    static final String NOTICE = "m.notice";

    private PlainContent() {
    }

    /**
     * The text of an {@code m.room.message} content: present for {@code m.text}, empty for other
     * msgtypes and for a redacted event (no msgtype).
     *
     * @throws MlsContent.MalformedContentException wrong JSON types, or a body over
     *     {@link RoomEvent.PlainMessage#MAX_TEXT_BYTES}
     */
    static Optional<String> text(Object content) throws MlsContent.MalformedContentException {
        if (!(content instanceof JsonObject c)) {
            throw new MlsContent.MalformedContentException(EVENT + " content is not an object");
        }
        Object msgtype = c.getValue("msgtype");
        if (msgtype == null) {
            return Optional.empty();
        }
        if (!(msgtype instanceof String type)) {
            throw new MlsContent.MalformedContentException(EVENT + " msgtype is not a string");
        }
        if (!type.equals(TEXT)) {
            return Optional.empty();
        }
        if (!(c.getValue("body") instanceof String body)) {
            throw new MlsContent.MalformedContentException(EVENT + " body is not a string");
        }
        if (body.length() > RoomEvent.PlainMessage.MAX_TEXT_BYTES
                || body.getBytes(StandardCharsets.UTF_8).length > RoomEvent.PlainMessage.MAX_TEXT_BYTES) {
            throw new MlsContent.MalformedContentException(EVENT + " body over "
                    + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes");
        }
        return Optional.of(body);
    }

    /** {@code {"msgtype": "m.notice", "body": text}}; refuses a text over the limit. */
    static JsonObject notice(String text) throws TransportException {
        if (text.getBytes(StandardCharsets.UTF_8).length > RoomEvent.PlainMessage.MAX_TEXT_BYTES) {
            throw new TransportException("text over " + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes", false);
        }
        return new JsonObject().put("msgtype", NOTICE).put("body", text);
    }
}
