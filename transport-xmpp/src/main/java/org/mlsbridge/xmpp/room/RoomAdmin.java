package org.mlsbridge.xmpp.room;

import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.form.Form;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.XmppIds;

/**
 * What a room's owner does outside the transport SPI: make the room members-only and
 * non-anonymous (so that real JIDs authenticate senders and members may read the member list),
 * and grant, revoke or ban membership, which the room's occupants then see as membership events.
 */
public final class RoomAdmin {
    private final XMPPTCPConnection connection;

    public RoomAdmin(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    /** Configures a room we own: members-only, real JIDs visible to anyone, persistent, archived. */
    public void configureForMls(RoomId room) throws TransportException {
        MultiUserChat muc = muc(room);
        run("configuring " + room, () -> {
            Form form = muc.getConfigurationForm();
            FillableForm answer = form.getFillableForm();
            answer.setAnswer("muc#roomconfig_membersonly", true);
            answer.setAnswer("muc#roomconfig_whois", "anyone");
            answer.setAnswer("muc#roomconfig_persistentroom", true);
            if (form.getField("muc#roomconfig_enablearchiving") != null) {
                answer.setAnswer("muc#roomconfig_enablearchiving", true);
            }
            muc.sendConfigurationForm(answer);
        });
    }

    /** One JID per request: Prosody 0.12 applies only the first item of a multi-item admin query. */
    public void grantMembership(RoomId room, UserId user) throws TransportException {
        MultiUserChat muc = muc(room);
        var jid = XmppIds.jid(user);
        run("granting membership of " + room + " to " + user, () -> muc.grantMembership(jid));
    }

    public void revokeMembership(RoomId room, UserId user) throws TransportException {
        MultiUserChat muc = muc(room);
        var jid = XmppIds.jid(user);
        run("revoking membership of " + room + " from " + user, () -> muc.revokeMembership(jid));
    }

    public void ban(RoomId room, UserId user) throws TransportException {
        MultiUserChat muc = muc(room);
        var jid = XmppIds.jid(user);
        run("banning " + user + " from " + room, () -> muc.banUser(jid, "removed from the MLS group"));
    }

    private MultiUserChat muc(RoomId room) throws TransportException {
        return MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(XmppIds.room(room));
    }

    private interface Call {
        void run() throws XMPPException.XMPPErrorException, SmackException, InterruptedException;
    }

    private static void run(String what, Call call) throws TransportException {
        try {
            call.run();
        } catch (XMPPException.XMPPErrorException e) {
            throw new TransportException(what + " refused: " + e.getStanzaError().getCondition(), false, e);
        } catch (SmackException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new TransportException(what + " failed: " + e, true, e);
        }
    }
}
