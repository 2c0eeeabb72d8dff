package org.mlsbridge.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.xmpp.stanza.MlsProviders;
import org.mlsbridge.xmpp.stanza.MlsStanzas;

/**
 * The XML stream as Smack reads it: deep nesting, long names and many attributes, which the JDK's
 * StAX parser treats as fatal stream errors (JDK 24+: 100 levels), must cost at most the element
 * concerned, and the stream goes on.
 */
class BoundedXmlParserTest {
    private static final String STREAM = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final String MLS = "<mls xmlns='urn:mlsbridge:mls:0'>QUJD</mls>";

    @BeforeAll
    static void providers() {
        MlsProviders.register();
    }

    private static String message(String id, String children) {
        return "<message type='groupchat' from='room@muc.example/alice' id='" + id + "'>" + children + "</message>";
    }

    /** Every stanza of the stream, as Smack's connection parses them one after the other. */
    private static List<Message> stanzas(String xml) throws Exception {
        XmlPullParser p = new BoundedXmlParserFactory().newXmlPullParser(new StringReader(STREAM + xml + "</stream:stream>"));
        List<Message> out = new ArrayList<>();
        while (p.next() != XmlPullParser.Event.END_DOCUMENT) {
            if (p.getEventType() == XmlPullParser.Event.START_ELEMENT && p.getDepth() == 2) {
                out.add((Message) PacketParserUtils.parseStanza(p, XmlEnvironment.EMPTY));
            }
        }
        return out;
    }

    @Test
    void elementsDeeperThanTheLimitAreLeftOutAndTheStreamGoesOn() throws Exception {
        String deep = "<a xmlns='urn:other'>".repeat(100_000) + "text" + "</a>".repeat(100_000);
        List<Message> got = stanzas(message("1", deep + MLS) + message("2", MLS));
        assertThat(got).extracting(Message::getStanzaId).containsExactly("1", "2");
        for (Message m : got) {
            assertThat(MlsStanzas.roomPayload(m, 100))
                    .isEqualTo(new MlsStanzas.Content.Payload(Bytes.of(new byte[] {'A', 'B', 'C'})));
        }
    }

    @Test
    void longNamesAndManyAttributesAreNoStreamError() throws Exception {
        String longName = "<" + "n".repeat(5_000) + " xmlns='urn:other'/>";
        StringBuilder attrs = new StringBuilder("<many xmlns='urn:other'");
        for (int i = 0; i < 20_000; i++) {
            attrs.append(" a").append(i).append("='x'");
        }
        attrs.append("/>");
        List<Message> got = stanzas(message("1", longName + attrs + MLS) + message("2", MLS));
        assertThat(got).extracting(Message::getStanzaId).containsExactly("1", "2");
    }

    @Test
    void textAndDepthAreReportedAsSmacksOwnParserDoes() throws Exception {
        XmlPullParser p = new BoundedXmlParserFactory().newXmlPullParser(
                new StringReader("<r><a x='1'>t<![CDATA[u]]>v</a><b/></r>"));
        assertThat(p.getEventType()).isEqualTo(XmlPullParser.Event.START_DOCUMENT);
        assertThat(p.next()).isEqualTo(XmlPullParser.Event.START_ELEMENT);
        assertThat(p.getDepth()).isEqualTo(1);
        p.next();
        assertThat(p.getName()).isEqualTo("a");
        assertThat(p.getDepth()).isEqualTo(2);
        assertThat(p.getAttributeValue("x")).isEqualTo("1");
        assertThat(p.nextText()).isEqualTo("tuv");
        assertThat(p.getEventType()).isEqualTo(XmlPullParser.Event.END_ELEMENT);
        assertThat(p.getDepth()).isEqualTo(2);
        assertThat(p.nextTag()).isEqualTo(XmlPullParser.TagEvent.START_ELEMENT);
        assertThat(p.getName()).isEqualTo("b");
        assertThat(p.getDepth()).isEqualTo(2);
        assertThat(p.next()).isEqualTo(XmlPullParser.Event.END_ELEMENT);
        assertThat(p.next()).isEqualTo(XmlPullParser.Event.END_ELEMENT);
        assertThat(p.getDepth()).isEqualTo(1);
        assertThat(p.next()).isEqualTo(XmlPullParser.Event.END_DOCUMENT);
    }
}
