package org.mlsbridge.xmpp.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.stanza.MlsProviders;

/** Archived room messages whose real JID, as the server reports it, names no account. */
class RoomMessageReaderTest {
    private static final String ROOM = "room@muc.example";

    @BeforeAll
    static void providers() {
        MlsProviders.register();
    }

    private static Message archived(String realJid) throws Exception {
        return PacketParserUtils.parseStanza("<message xmlns='jabber:client' type='groupchat' from='" + ROOM
                + "/alice' id='m'><mls xmlns='urn:mlsbridge:mls:0'>QUJD</mls>"
                + "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='" + realJid + "'/></x></message>");
    }

    @Test
    void aRealJidThatIsNoAccountIsACountedDropNotAnException() throws Exception {
        XmppCounters counters = new XmppCounters();
        RoomMessageReader reader = new RoomMessageReader(new RoomId(ROOM),
                JidCreate.entityBareFrom(ROOM), counters, 1024);
        // jxmpp accepts a domainpart with a space; UserId does not (found by XmppStanzaFuzzTest)
        assertThat(reader.archived(new Archived("a-1", archived("alice@exam ple.org/r")))).isEmpty();
        assertThat(counters.droppedByReason()).containsOnlyKeys("archived message's real JID is not an account");
        assertThat(reader.archived(new Archived("a-2", archived("alice@example.org/r")))).isPresent();
        assertThat(reader.live(archived("alice@example.org/r"), Map.of())).isEmpty(); // not from a known occupant
    }
}
