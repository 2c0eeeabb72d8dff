package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.Test;

/**
 * Stanzas any room occupant can write that make Smack's own parsing throw an exception its
 * connection does not catch: the connection must skip them as unparseable, never close (which
 * would repeat on every archive replay of the room's history).
 */
class HostileStanzaParsingTest {
    /** The connection as its reader thread sees it, after the server opened the stream. */
    private static final class Opened extends TolerantParsingConnection {
        final List<Throwable> skipped;

        Opened(List<Throwable> skipped) throws Exception {
            super(XMPPTCPConnectionConfiguration.builder().setXmppDomain("example.org")
                    .setUsernameAndPassword("alice", "secret").build(), skipped::add);
            this.skipped = skipped;
        }

        XmlPullParser stream(String stanzas) throws Exception {
            XmlPullParser p = PacketParserUtils.getParserFor("<stream:stream xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' from='example.org' id='s1'>" + stanzas);
            onStreamOpen(p);
            p.next();
            return p;
        }
    }

    private static Opened connection() throws Exception {
        return new Opened(new ArrayList<>());
    }

    private static final String OCCUPANT = "<message xmlns='jabber:client' type='groupchat' from='room@muc.example.org/eve'"
            + " id='x'><body>hi</body>%s</message>";

    @Test
    void anErrorChildWithoutTypeIsAnUnparseableStanzaNotAClosedConnection() throws Exception {
        Opened c = connection();
        // Smack 4.4.8 reads any child named error as the stanza error; without a type it throws a
        // NullPointerException, which its connection does not catch.
        XmlPullParser p = c.stream(OCCUPANT.formatted("<error xmlns='urn:other'><x/></error>") + "<next/>");
        c.parseAndProcessStanza(p);
        assertThat(c.skipped).singleElement().isInstanceOf(NullPointerException.class);
        // the parser stands at the end of the skipped stanza: the stream goes on with the next one
        assertThat(p.getEventType()).isEqualTo(XmlPullParser.Event.END_ELEMENT);
        assertThat(p.getName()).isEqualTo(Message.ELEMENT);
        p.next();
        assertThat(p.getName()).isEqualTo("next");
    }

    @Test
    void wellFormedStanzasStillReachTheListeners() throws Exception {
        Opened c = connection();
        XmlPullParser p = c.stream(OCCUPANT.formatted(""));
        c.parseAndProcessStanza(p);
        assertThat(c.skipped).isEmpty();
        assertThat(p.getEventType()).isEqualTo(XmlPullParser.Event.END_ELEMENT);
    }

    @Test
    void hugeStanzasAndBadErrorTypesCostOneStanza() throws Exception {
        Opened c = connection();
        String huge = "<mls xmlns='urn:mlsbridge:mls:0'>" + "QUJD".repeat(2_000_000) + "</mls>";
        XmlPullParser p = c.stream(OCCUPANT.formatted(huge) + OCCUPANT.formatted("<error type='no-such-type'/>")
                + "<next/>");
        for (int i = 0; i < 2; i++) {
            c.parseAndProcessStanza(p);
            assertThat(p.getName()).isEqualTo(Message.ELEMENT);
            p.next();
        }
        assertThat(p.getName()).isEqualTo("next");
        // the huge one parses (the payload limit refuses it later, counted); the bad type is one of
        // the exceptions Smack catches itself
        assertThat(c.skipped).singleElement().isInstanceOf(IllegalArgumentException.class);
    }
}
