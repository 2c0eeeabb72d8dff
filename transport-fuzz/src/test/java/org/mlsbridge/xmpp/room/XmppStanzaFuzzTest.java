package org.mlsbridge.xmpp.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.stanza.Base64Text;
import org.mlsbridge.xmpp.stanza.KeyPackageElement;
import org.mlsbridge.xmpp.stanza.KeyPackageElementProvider;
import org.mlsbridge.xmpp.stanza.MalformedPayloadException;
import org.mlsbridge.xmpp.stanza.MlsProviders;
import org.mlsbridge.xmpp.stanza.MlsStanzas;
import org.mlsbridge.xmpp.xml.BoundedXmlParserFactory;

/**
 * XMPP stanza parsing with mlsbridge's providers, and what the transport makes of the result: a
 * room message (live or archived) becomes a log entry or exactly one counted drop or ignore; a
 * Welcome's or KeyPackage's payload is canonical base64 within the limit or a
 * {@link MalformedPayloadException}. Our providers never throw; Smack's own parsers may (the
 * transport's {@code TolerantParsingConnection} skips and counts such a stanza).
 *
 * <p>Parsed as the transport parses the stream ({@code BoundedXmlParserFactory}).
 * Input: a mode byte, then UTF-8 XML. Mode 0 is a whole stanza as the stream delivers it;
 * mode 1 the children of a groupchat message the room reflected (nick, stanza-id and muc#user of
 * the room); mode 2 the children of a chat message (a Welcome); mode 3 a PEP item's payload. Only
 * well-formed XML without a DTD is parsed: the server parses and re-serializes every stanza, so a
 * client never receives anything else (and a stream never ends inside a stanza).
 */
class XmppStanzaFuzzTest {
    private static final int MAX = 64 * 1024;
    private static final String ROOM = "room@muc.example";
    private static final Map<String, UserId> OCCUPANTS = Map.of("alice", new UserId("xmpp:alice@example.org"));
    private static final String NS = "xmlns='urn:mlsbridge:mls:0'";
    private static final XMLInputFactory WELL_FORMED = XMLInputFactory.newFactory();

    static {
        WELL_FORMED.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        WELL_FORMED.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // the JDK's own depth, name and attribute limits are not the server's: the transport lifts them
        for (String limit : new String[] {"jdk.xml.maxElementDepth", "jdk.xml.maxXMLNameLimit",
            "jdk.xml.elementAttributeLimit"}) {
            WELL_FORMED.setProperty(limit, "0");
        }
    }

    @BeforeAll
    static void asTheTransportParses() {
        MlsProviders.register();
        BoundedXmlParserFactory.install();
    }

    static Stream<Arguments> seeds() {
        String payload = Base64Text.encode(Bytes.wrap(new byte[] {0, 1, 3, 7, 15, 31, (byte) 0xff}));
        String mls = "<mls " + NS + ">" + payload + "</mls>";
        String ids = "<stanza-id xmlns='urn:xmpp:sid:0' by='" + ROOM + "' id='s-1'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='o-1'/>";
        String mucUser = "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='alice@example.org/phone'/></x>";
        return Stream.of(
                arg(0, room(mls + ids + mucUser)),
                arg(0, "<message xmlns='jabber:client' type='chat' from='alice@example.org/r' id='w'>"
                        + "<welcome " + NS + " room='" + ROOM + "'>" + payload + "</welcome></message>"),
                arg(0, "<message xmlns='jabber:client' type='groupchat' from='" + ROOM + "/alice'>"
                        + "<result xmlns='urn:xmpp:mam:2' id='a-2'><forwarded xmlns='urn:xmpp:forward:0'>"
                        + "<delay xmlns='urn:xmpp:delay' stamp='2026-12-04T20:00:00Z'/>" + room(mls + ids + mucUser)
                        + "</forwarded></result></message>"),
                arg(1, mls + ids + mucUser),
                arg(1, mls + mls + ids),
                arg(1, "<mls " + NS + "><b>" + payload + "</b></mls>" + ids + mucUser),
                arg(1, "<mls " + NS + ">" + payload.replace('=', 'A') + "</mls>" + ids),
                arg(1, "<a><b><c><d><e>" + mls + "</e></d></c></b></a>" + ids),
                arg(1, "<d>".repeat(120) + mls + "</d>".repeat(120) + mls + ids + mucUser),
                arg(1, "<mls " + NS + ">" + "QUJD".repeat(900) + "</mls>" + ids + mucUser),
                arg(2, "<welcome " + NS + " room='" + ROOM + "'>" + payload + "</welcome>"
                        + "<origin-id xmlns='urn:xmpp:sid:0' id='o-2'/>"),
                arg(2, "<welcome " + NS + ">" + payload + "</welcome>"),
                arg(3, "<keypackage " + NS + " last-resort='true'>" + payload + "</keypackage>"),
                arg(3, "<keypackage " + NS + " last-resort='maybe'>" + payload + "</keypackage>"));
    }

    private static Arguments arg(int mode, String xml) {
        byte[] text = xml.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[text.length + 1];
        input[0] = (byte) mode;
        System.arraycopy(text, 0, input, 1, text.length);
        return Arguments.of((Object) input);
    }

    private static String room(String children) {
        return "<message xmlns='jabber:client' type='groupchat' from='" + ROOM + "/alice' to='bob@example.org/r'"
                + " id='m-1'><body>fallback</body>" + children + "</message>";
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void anEntryOrOneCountedDrop(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String xml = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        switch ((input[0] & 0xff) % 4) {
            case 0 -> parse(xml).ifPresent(XmppStanzaFuzzTest::received);
            case 1 -> parse(room(xml)).ifPresent(XmppStanzaFuzzTest::received);
            case 2 -> parse("<message xmlns='jabber:client' type='chat' from='alice@example.org/r' id='w'>" + xml
                    + "</message>").ifPresent(XmppStanzaFuzzTest::received);
            default -> keyPackageItem(xml);
        }
    }

    private static void received(Stanza stanza) {
        if (!(stanza instanceof Message m)) {
            return;
        }
        EntityBareJid jid = JidCreate.entityBareFromOrThrowUnchecked(ROOM);
        XmppCounters counters = new XmppCounters();
        RoomMessageReader reader = new RoomMessageReader(new RoomId(ROOM), jid, counters, MAX);

        long before = counted(counters);
        Optional<RoomEntry.Msg> live = reader.live(m, OCCUPANTS);
        assertThat(counted(counters) - before).isEqualTo(live.isPresent() ? 0 : 1);
        live.ifPresent(XmppStanzaFuzzTest::checkEntry);

        before = counted(counters);
        Optional<RoomEntry.Msg> archived = reader.archived(new Archived("a-1", m));
        assertThat(counted(counters) - before).isEqualTo(archived.isPresent() ? 0 : 1);
        archived.ifPresent(XmppStanzaFuzzTest::checkEntry);

        MlsStanzas.WelcomeContent w = MlsStanzas.welcomePayload(m, MAX);
        if (w.content() instanceof MlsStanzas.Content.Payload p) {
            checkPayload(p.bytes());
            assertThat(w.room()).isNotBlank();
        }
        MlsStanzas.originId(m).ifPresent(id -> assertThat(id).isNotNull());
    }

    private static void checkEntry(RoomEntry.Msg entry) {
        assertThat(RoomStanzaIds.valid(entry.id())).isTrue();
        switch (entry.event()) {
            case RoomEvent.RoomMessage m -> checkPayload(m.payload());
            case RoomEvent.PlainMessage p -> assertThat(p.text().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(RoomEvent.PlainMessage.MAX_TEXT_BYTES);
            default -> throw new AssertionError("a room log entry that is no message: " + entry.event());
        }
    }

    private static void checkPayload(Bytes b) {
        assertThat(b.length()).isBetween(1, MAX);
    }

    private static void keyPackageItem(String xml) throws IOException {
        if (!wellFormed(xml)) {
            return;
        }
        XmlPullParser p;
        try {
            p = PacketParserUtils.getParserFor(xml);
        } catch (XmlPullParserException e) {
            return;
        }
        if (!KeyPackageElement.ELEMENT.equals(p.getName())) {
            return;
        }
        KeyPackageElement e;
        try {
            e = new KeyPackageElementProvider().parse(p);
        } catch (XmlPullParserException | SmackParsingException ex) {
            return;
        }
        try {
            Bytes b = e.payload(MAX);
            checkPayload(b);
            assertThat(Base64Text.encode(b)).isEqualTo(e.text());
        } catch (MalformedPayloadException refused) {
            // the documented refusal: the item is skipped and counted by the PEP reader
        }
    }

    private static long counted(XmppCounters c) {
        return c.droppedTotal() + c.ignoredTotal();
    }

    /**
     * The stanza as Smack's connection parses it; empty when the XML is not something a server
     * forwards, or when Smack refuses it with an exception its connection survives.
     */
    private static Optional<Stanza> parse(String xml) throws IOException {
        if (!wellFormed(xml)) {
            return Optional.empty();
        }
        try {
            XmlPullParser p = PacketParserUtils.getParserFor(xml);
            return Optional.of(PacketParserUtils.parseStanza(p, XmlEnvironment.EMPTY));
        } catch (XmlPullParserException | SmackParsingException | IOException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // Smack's own parsers throw these on some hostile stanzas; TolerantParsingConnection
            // skips and counts them. Thrown by our providers or our XML parser, it is a finding.
            if (Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("org.mlsbridge.xmpp.")
                    && !f.getClassName().startsWith(XmppStanzaFuzzTest.class.getName()))) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static boolean wellFormed(String xml) {
        try {
            XMLStreamReader r = WELL_FORMED.createXMLStreamReader(new StringReader(xml));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.DTD) {
                        return false;
                    }
                }
            } finally {
                r.close();
            }
            return true;
        } catch (XMLStreamException | RuntimeException e) {
            return false;
        }
    }
}
