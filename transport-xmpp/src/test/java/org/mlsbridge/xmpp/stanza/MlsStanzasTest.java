package org.mlsbridge.xmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.mls.codec.Bytes;

/** Round trips of mlsbridge's elements through Smack, and hostile XML that must be refused cleanly. */
class MlsStanzasTest {
    private static final int MAX = 1024;

    @BeforeAll
    static void providers() {
        MlsProviders.register();
    }

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return Bytes.wrap(b);
    }

    private static Message parse(String xml) throws Exception {
        return PacketParserUtils.parseStanza(xml);
    }

    private static String room(String inner) {
        return "<message xmlns='jabber:client' type='groupchat' from='r@muc.example/alice' id='1'>"
                + "<body>fallback</body>" + inner + "</message>";
    }

    @Test
    void roomMessageRoundTripsWithItsMarkers() throws Exception {
        for (int n : new int[] {1, 2, 3, 100, MAX}) {
            Bytes payload = random(n);
            Message sent = MlsStanzas.roomMessage(JidCreate.entityBareFrom("r@muc.example"), "oid-" + n, payload);
            String xml = sent.toXML().toString();
            assertThat(xml).contains("<mls xmlns='urn:mlsbridge:mls:0'>", "<store xmlns='urn:xmpp:hints'/>",
                    "<encryption xmlns='urn:xmpp:eme:0' namespace='urn:mlsbridge:mls:0' name='MLS'/>",
                    "<fallback xmlns='urn:xmpp:fallback:0'", "<origin-id xmlns='urn:xmpp:sid:0' id='oid-" + n + "'/>",
                    "type='groupchat'");
            Message back = parse(xml);
            assertThat(MlsStanzas.roomPayload(back, MAX)).isEqualTo(new MlsStanzas.Content.Payload(payload));
            assertThat(MlsStanzas.originId(back)).contains("oid-" + n);
            assertThat(back.getBody()).isEqualTo(MlsNamespace.FALLBACK_BODY);
        }
    }

    @Test
    void welcomeRoundTripsWithItsRoom() throws Exception {
        Bytes w = random(300);
        Message sent = MlsStanzas.welcomeMessage(JidCreate.entityBareFrom("bob@example.org"), "r@muc.example", "w1", w);
        Message back = parse(sent.toXML().toString());
        MlsStanzas.WelcomeContent c = MlsStanzas.welcomePayload(back, MAX);
        assertThat(c.room()).isEqualTo("r@muc.example");
        assertThat(c.content()).isEqualTo(new MlsStanzas.Content.Payload(w));
        assertThat(back.getType()).isEqualTo(Message.Type.chat);
    }

    @Test
    void keyPackageElementRoundTrips() throws Exception {
        for (boolean lastResort : new boolean[] {false, true}) {
            KeyPackageElement e = KeyPackageElement.of(random(200), lastResort);
            XmlPullParser p = PacketParserUtils.getParserFor(e.toXML().toString());
            KeyPackageElement back = new KeyPackageElementProvider().parse(p);
            assertThat(back).isEqualTo(e);
            assertThat(back.payload(MAX)).isEqualTo(random(200));
        }
        XmlPullParser bad = PacketParserUtils.getParserFor(
                "<keypackage xmlns='urn:mlsbridge:mls:0' last-resort='maybe'>AAAA</keypackage>");
        assertThat(new KeyPackageElementProvider().parse(bad).problem()).isPresent();
    }

    @Test
    void hostileRoomPayloadsAreMalformedNeverExceptions() throws Exception {
        String ns = "xmlns='urn:mlsbridge:mls:0'";
        String[] hostile = {
            "<mls " + ns + "/>",                                      // missing payload
            "<mls " + ns + "></mls>",
            "<mls " + ns + ">not base64!</mls>",                      // bad base64
            "<mls " + ns + ">QQ=</mls>",                              // bad length
            "<mls " + ns + ">QR==</mls>",                             // non-canonical padding bits
            "<mls " + ns + ">QU JD</mls>",                            // whitespace
            "<mls " + ns + "><x/>QUJD</mls>",                         // child element
            "<mls " + ns + ">QUJD</mls><mls " + ns + ">QUJD</mls>",   // several payloads
            "<mls " + ns + ">" + "A".repeat(4 * (MAX / 3 + 2)) + "</mls>", // over the limit
        };
        for (String inner : hostile) {
            MlsStanzas.Content c = MlsStanzas.roomPayload(parse(room(inner)), MAX);
            assertThat(c).as(inner.length() > 80 ? inner.substring(0, 80) : inner)
                    .isInstanceOf(MlsStanzas.Content.Malformed.class);
        }
        // wrong namespace or no element: not an mlsbridge message at all
        assertThat(MlsStanzas.roomPayload(parse(room("<mls xmlns='urn:other'>QUJD</mls>")), MAX))
                .isInstanceOf(MlsStanzas.Content.None.class);
        assertThat(MlsStanzas.roomPayload(parse(room("")), MAX)).isInstanceOf(MlsStanzas.Content.None.class);
        // a huge payload beyond what any provider collects still parses, as malformed
        String huge = "<mls " + ns + ">" + "A".repeat(MlsNamespace.MAX_TEXT_CHARS + 4) + "</mls>";
        assertThat(MlsStanzas.roomPayload(parse(room(huge)), MAX)).isInstanceOf(MlsStanzas.Content.Malformed.class);
    }

    @Test
    void hostileWelcomesAreMalformed() throws Exception {
        String chat = "<message xmlns='jabber:client' type='chat' from='eve@example.org/x' id='2'>%s</message>";
        assertThat(MlsStanzas.welcomePayload(parse(chat.formatted(
                "<welcome xmlns='urn:mlsbridge:mls:0'>QUJD</welcome>")), MAX).content())
                .isInstanceOf(MlsStanzas.Content.Malformed.class);
        assertThat(MlsStanzas.welcomePayload(parse(chat.formatted(
                "<welcome xmlns='urn:mlsbridge:mls:0' room='r@muc'>%%%</welcome>")), MAX).content())
                .isInstanceOf(MlsStanzas.Content.Malformed.class);
        assertThat(MlsStanzas.welcomePayload(parse(chat.formatted(
                "<welcome xmlns='urn:mlsbridge:mls:0' room='r@muc'>QUJD</welcome>"
                        + "<welcome xmlns='urn:mlsbridge:mls:0' room='r@muc'>QUJD</welcome>")), MAX).content())
                .isInstanceOf(MlsStanzas.Content.Malformed.class);
    }

    @Test
    void originIdMustBeSingle() throws Exception {
        Message two = parse(room("<origin-id xmlns='urn:xmpp:sid:0' id='a'/><origin-id xmlns='urn:xmpp:sid:0' id='b'/>"));
        assertThat(MlsStanzas.originId(two)).isEmpty();
        assertThat(OriginIdElement.ELEMENT).isEqualTo("origin-id");
    }
}
