package org.mlsbridge.xmpp.stanza;

import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.mlsbridge.mls.codec.Bytes;

/**
 * {@code <keypackage xmlns='urn:mlsbridge:mls:0' last-resort='true'>BASE64</keypackage>}: the payload
 * of one PEP item on node {@link MlsNamespace#KEYPACKAGES_NODE}; the item id is the hex
 * KeyPackageRef. {@code last-resort} is present (true) only on the owner's last_resort KeyPackage.
 */
public record KeyPackageElement(boolean lastResort, String text, Optional<String> problem)
        implements Base64PayloadElement {
    public static final String ELEMENT = "keypackage";
    public static final String ATTR_LAST_RESORT = "last-resort";

    public KeyPackageElement {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(problem, "problem");
    }

    public static KeyPackageElement of(Bytes keyPackage, boolean lastResort) {
        return new KeyPackageElement(lastResort, Base64Text.encode(keyPackage), Optional.empty());
    }


    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosing);
        if (lastResort) {
            xml.attribute(ATTR_LAST_RESORT, true);
        }
        xml.rightAngleBracket();
        xml.escape(text);
        xml.closeElement(this);
        return xml;
    }

    @Override
    public String toString() {
        return "KeyPackageElement[" + (lastResort ? "last_resort, " : "") + text.length() + " base64 chars"
                + problem.map(p -> ", " + p).orElse("") + "]";
    }
}
