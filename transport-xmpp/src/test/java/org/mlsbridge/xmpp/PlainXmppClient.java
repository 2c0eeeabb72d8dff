package org.mlsbridge.xmpp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.mlsbridge.bridge.transport.RoomId;

/** An ordinary Smack client that knows nothing of MLS: a legacy user, or a hostile occupant. */
final class PlainXmppClient implements AutoCloseable {
    final XMPPTCPConnection connection;
    final List<Message> received = new CopyOnWriteArrayList<>();
    private MultiUserChat muc;

    PlainXmppClient(XmppConfig account) throws Exception {
        connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(account.domain())
                .setHost(account.host())
                .setPort(account.port())
                .setUsernameAndPassword(account.username(), account.password())
                .setSecurityMode(SecurityMode.disabled)
                .build());
        connection.connect().login();
    }

    void join(RoomId room) throws Exception {
        muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(JidCreate.entityBareFrom(room.value()));
        muc.addMessageListener(received::add);
        muc.join(muc.getEnterConfigurationBuilder(Resourcepart.from("plain")).requestNoHistory().build());
    }

    /** A groupchat message to the room with whatever elements the test chooses. */
    void sendToRoom(RoomId room, String body, ExtensionElement... extensions) throws Exception {
        var b = StanzaBuilder.buildMessage().ofType(Message.Type.groupchat).to(JidCreate.entityBareFrom(room.value()))
                .setBody(body);
        for (ExtensionElement e : extensions) {
            b.addExtension(e);
        }
        connection.sendStanza(b.build());
    }

    void sendChat(EntityBareJid to, ExtensionElement... extensions) throws Exception {
        var b = StanzaBuilder.buildMessage().ofType(Message.Type.chat).to(to).setBody("hello");
        for (ExtensionElement e : extensions) {
            b.addExtension(e);
        }
        connection.sendStanza(b.build());
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
