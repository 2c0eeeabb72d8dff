package org.mlsbridge.xmpp.stanza;

import java.util.List;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.eme.element.ExplicitMessageEncryptionElement;
import org.jivesoftware.smackx.fallback_indication.element.FallbackIndicationElement;
import org.jivesoftware.smackx.hints.element.StoreHint;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.jxmpp.jid.EntityBareJid;
import org.mlsbridge.mls.codec.Bytes;

/** Builds mlsbridge's messages and finds the payload in received ones. */
public final class MlsStanzas {
    private MlsStanzas() {
    }

    /**
     * A MUC groupchat message carrying one MLSMessage: {@code <mls>}, origin-id, store hint, EME
     * marker and a fallback body marked as such.
     */
    public static Message roomMessage(EntityBareJid room, String originId, Bytes payload) {
        return StanzaBuilder.buildMessage(originId)
                .ofType(Message.Type.groupchat)
                .to(room)
                .setBody(MlsNamespace.FALLBACK_BODY)
                .addExtension(MlsElement.of(payload))
                .addExtension(new OriginIdElement(originId))
                .addExtension(StoreHint.INSTANCE)
                .addExtension(new ExplicitMessageEncryptionElement(MlsNamespace.NAMESPACE, MlsNamespace.EME_NAME))
                .addExtension(FallbackIndicationElement.INSTANCE)
                .build();
    }

    /** A chat message to a user's bare JID carrying a Welcome, stored while the user is offline. */
    public static Message welcomeMessage(EntityBareJid to, String room, String originId, Bytes welcome) {
        return StanzaBuilder.buildMessage(originId)
                .ofType(Message.Type.chat)
                .to(to)
                .setBody(MlsNamespace.FALLBACK_BODY)
                .addExtension(WelcomeElement.of(room, welcome))
                .addExtension(new OriginIdElement(originId))
                .addExtension(StoreHint.INSTANCE)
                .addExtension(new ExplicitMessageEncryptionElement(MlsNamespace.NAMESPACE, MlsNamespace.EME_NAME))
                .addExtension(FallbackIndicationElement.INSTANCE)
                .build();
    }

    /** What a received message holds, as far as mlsbridge is concerned. */
    public sealed interface Content {
        /** Exactly one well-formed payload element. */
        record Payload(Bytes bytes) implements Content {
        }

        /** No mlsbridge element: plain chat, a subject, a notification. */
        record None() implements Content {
        }

        /** Present but unusable: the message is dropped and counted. */
        record Malformed(String reason) implements Content {
        }
    }

    /** The {@code <mls>} payload of a room message. */
    public static Content roomPayload(Message message, int maxBytes) {
        List<ExtensionElement> found = message.getExtensions(MlsElement.ELEMENT, MlsNamespace.NAMESPACE);
        if (found.isEmpty()) {
            return new Content.None();
        }
        if (found.size() > 1) {
            return new Content.Malformed(found.size() + " <mls> elements in one message");
        }
        if (!(found.get(0) instanceof MlsElement e)) {
            return new Content.Malformed("<mls> not parsed by mlsbridge's provider");
        }
        try {
            return new Content.Payload(e.payload(maxBytes));
        } catch (MalformedPayloadException ex) {
            return new Content.Malformed(ex.getMessage());
        }
    }

    /** The Welcome in a chat message and the room it names. */
    public record WelcomeContent(String room, Content content) {
    }

    public static WelcomeContent welcomePayload(Message message, int maxBytes) {
        List<ExtensionElement> found = message.getExtensions(WelcomeElement.ELEMENT, MlsNamespace.NAMESPACE);
        if (found.isEmpty()) {
            return new WelcomeContent("", new Content.None());
        }
        if (found.size() > 1) {
            return new WelcomeContent("", new Content.Malformed(found.size() + " <welcome> elements in one message"));
        }
        if (!(found.get(0) instanceof WelcomeElement e)) {
            return new WelcomeContent("", new Content.Malformed("<welcome> not parsed by mlsbridge's provider"));
        }
        try {
            return new WelcomeContent(e.room(), new Content.Payload(e.payload(maxBytes)));
        } catch (MalformedPayloadException ex) {
            return new WelcomeContent(e.room(), new Content.Malformed(ex.getMessage()));
        }
    }

    /** The origin-id the sender gave, if exactly one. */
    public static Optional<String> originId(Message message) {
        List<ExtensionElement> ids = message.getExtensions(OriginIdElement.ELEMENT, OriginIdElement.NAMESPACE);
        if (ids.size() != 1 || !(ids.get(0) instanceof OriginIdElement o) || o.getId() == null) {
            return Optional.empty();
        }
        return Optional.of(o.getId());
    }
}
