package org.mlsbridge.xmpp.pep;

import java.util.List;
import java.util.Objects;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.jivesoftware.smackx.pubsub.packet.PubSub;

/**
 * {@code <retract node='N' notify='true'><item id='I'/></retract>} (XEP-0060 §7.2). Smack 4.4's
 * retract request has no notify attribute (and drops the items when one is set), and without it
 * Prosody tells no subscriber that a KeyPackage is gone.
 */
record RetractElement(String node, List<String> itemIds) implements ExtensionElement {
    RetractElement {
        Objects.requireNonNull(node, "node");
        itemIds = List.copyOf(itemIds);
        if (itemIds.isEmpty()) {
            throw new IllegalArgumentException("nothing to retract");
        }
    }

    @Override
    public String getNamespace() {
        return PubSub.NAMESPACE;
    }

    @Override
    public String getElementName() {
        return "retract";
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosing);
        xml.attribute("node", node);
        xml.attribute("notify", true);
        xml.rightAngleBracket();
        for (String id : itemIds) {
            xml.halfOpenElement("item").attribute("id", id).closeEmptyElement();
        }
        xml.closeElement(this);
        return xml;
    }
}
