package org.mlsbridge.xmpp.xml;

import java.io.Reader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import org.jivesoftware.smack.xml.SmackXmlParser;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smack.xml.XmlPullParserFactory;

/**
 * Smack's XML parsers, on the JDK's StAX parser without its own size limits, which are fatal to
 * the whole stream: since JDK 24 an element 101 levels deep, and in every JDK a name over 1,000
 * characters or 10,000 attributes on one element, end the connection, and the room's archive
 * replays the stanza after every reconnect. Here deep elements are left out by
 * {@link BoundedXmlParser} and names and attributes are bounded only by the server's stanza size
 * limit. DTDs and external entities stay off, as XMPP forbids them (RFC 6120 §11.1).
 */
public final class BoundedXmlParserFactory implements XmlPullParserFactory {
    private static final String[] UNLIMITED = {
        "jdk.xml.maxElementDepth", "jdk.xml.maxXMLNameLimit", "jdk.xml.elementAttributeLimit",
    };
    private final XMLInputFactory stax;

    public BoundedXmlParserFactory() {
        stax = XMLInputFactory.newFactory();
        stax.setProperty(XMLInputFactory.IS_COALESCING, true);
        stax.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        stax.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        stax.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        for (String limit : UNLIMITED) {
            stax.setProperty(limit, "0");
        }
    }

    /** Makes every Smack connection of this JVM parse through this factory (idempotent). */
    public static void install() {
        if (!(SmackXmlParser.getXmlPullParserFactory() instanceof BoundedXmlParserFactory)) {
            SmackXmlParser.setXmlPullParserFactory(new BoundedXmlParserFactory());
        }
    }

    @Override
    public XmlPullParser newXmlPullParser(Reader reader) throws XmlPullParserException {
        try {
            return new BoundedXmlParser(stax.createXMLStreamReader(reader), BoundedXmlParser.MAX_DEPTH);
        } catch (XMLStreamException e) {
            throw new XmlPullParserException(e);
        }
    }
}
