package org.mlsbridge.xmpp.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.stanza.MlsProviders;

/** Room messages whose sender the server does not vouch for, and chat clients' plain text. */
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

    private static Message live(String inner) throws Exception {
        return PacketParserUtils.parseStanza("<message xmlns='jabber:client' type='groupchat' from='" + ROOM
                + "/lee' id='p'>" + inner + "<stanza-id xmlns='urn:xmpp:sid:0' by='" + ROOM + "' id='s-1'/></message>");
    }

    @Test
    void plainTextComesFromTheOccupantsRealJidAndForgedOrOversizedOnesAreCountedDrops() throws Exception {
        XmppCounters counters = new XmppCounters();
        RoomMessageReader reader = new RoomMessageReader(new RoomId(ROOM), JidCreate.entityBareFrom(ROOM), counters, 1024);
        Map<String, UserId> occupants = Map.of("lee", UserId.xmpp("lee@example.org"));
        assertThat(reader.live(live("<body>hi, I am alice@example.org</body>"), occupants).map(RoomEntry.Msg::event))
                .contains(new RoomEvent.PlainMessage(new RoomId(ROOM), UserId.xmpp("lee@example.org"), new ServerId("s-1"),
                        "hi, I am alice@example.org"));
        // a real JID of the sender's choosing, a body over the limit: dropped and counted
        assertThat(reader.live(live("<body>x</body><x xmlns='http://jabber.org/protocol/muc#user'><item jid="
                + "'alice@example.org'/></x>"), occupants)).isEmpty();
        assertThat(reader.live(live("<body>" + "y".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES + 1) + "</body>"),
                occupants)).isEmpty();
        assertThat(counters.droppedByReason()).containsOnlyKeys("occupant message carries a muc#user element",
                "plain body over " + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes");
        // another encryption's fallback, a subject: not text, ignored
        assertThat(reader.live(live("<body>OMEMO fallback</body><encryption xmlns='urn:xmpp:eme:0' "
                + "namespace='eu.siacs.conversations.axolotl'/>"), occupants)).isEmpty();
        assertThat(reader.live(live("<subject>topic</subject><body>topic</body>"), occupants)).isEmpty();
        assertThat(counters.ignoredTotal()).isEqualTo(2);
    }
}
