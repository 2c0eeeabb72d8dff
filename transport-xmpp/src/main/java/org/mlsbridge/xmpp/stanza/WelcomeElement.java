package org.mlsbridge.xmpp.stanza;

import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.mlsbridge.mls.codec.Bytes;

/**
 * {@code <welcome xmlns='urn:mlsbridge:mls:0' room='ROOM-JID'>BASE64</welcome>}: an MLS Welcome in a
 * chat message to a user's bare JID. {@code room} is the sender's hint of the MUC it is for; the
 * Welcome's group id is authoritative.
 *
 * @param room the room attribute as received (empty if missing, then {@code problem} is set)
 */
public record WelcomeElement(String room, String text, Optional<String> problem) implements Base64PayloadElement {
    public static final String ELEMENT = "welcome";
    public static final String ATTR_ROOM = "room";

    public WelcomeElement {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(problem, "problem");
    }

    public static WelcomeElement of(String room, Bytes welcome) {
        if (room.isBlank()) {
            throw new IllegalArgumentException("room must not be blank");
        }
        return new WelcomeElement(room, Base64Text.encode(welcome), Optional.empty());
    }


    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosing);
        xml.attribute(ATTR_ROOM, room);
        xml.rightAngleBracket();
        xml.escape(text);
        xml.closeElement(this);
        return xml;
    }

    @Override
    public String toString() {
        return "WelcomeElement[room=" + room + ", " + text.length() + " base64 chars"
                + problem.map(p -> ", " + p).orElse("") + "]";
    }
}
