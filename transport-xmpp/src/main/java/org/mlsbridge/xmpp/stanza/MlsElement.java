package org.mlsbridge.xmpp.stanza;

import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.mlsbridge.mls.codec.Bytes;

/**
 * {@code <mls xmlns='urn:mlsbridge:mls:0'>BASE64</mls>}: one MLSMessage in a MUC groupchat
 * message. Received elements keep their raw text; {@link #payload} decodes it.
 *
 * @param text the base64 text as received (empty when {@code problem} is set)
 * @param problem why the element cannot carry a payload, found while parsing
 */
public record MlsElement(String text, Optional<String> problem) implements Base64PayloadElement {
    public static final String ELEMENT = "mls";

    public MlsElement {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(problem, "problem");
    }

    public static MlsElement of(Bytes payload) {
        return new MlsElement(Base64Text.encode(payload), Optional.empty());
    }


    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosing);
        xml.rightAngleBracket();
        xml.escape(text);
        xml.closeElement(this);
        return xml;
    }

    @Override
    public String toString() {
        return "MlsElement[" + text.length() + " base64 chars" + problem.map(p -> ", " + p).orElse("") + "]";
    }
}
