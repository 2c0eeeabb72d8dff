package org.mlsbridge.xmpp.room;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.packet.MUCInitialPresence;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.XmppIds;
import org.mlsbridge.xmpp.mam.Archive;
import org.mlsbridge.xmpp.mam.Archived;

/**
 * (Re)joins a MUC and brings a {@link RoomLog} up to date: enter without MUC history (the archive
 * is the history), read the affiliation lists (members of a members-only, non-anonymous room may),
 * fill the gap since the last message seen live from the room's archive, then release the stanzas
 * held back meanwhile. Smack's MultiUserChat is used only for the admin queries: its join would
 * first try to leave a room it believes joined, which after a server restart costs a timeout.
 */
public final class RoomJoin {
    private RoomJoin() {
    }

    public static void join(XMPPTCPConnection connection, RoomLog log, String nick) throws TransportException {
        try {
            enter(connection, log, nick);
        } catch (TransportException | RuntimeException e) {
            log.abortJoin();
            throw e;
        }
    }

    private static void enter(XMPPTCPConnection connection, RoomLog log, String nick) throws TransportException {
        EntityFullJid occupant;
        try {
            occupant = JidCreate.entityFullFrom(log.jid(), Resourcepart.from(nick));
        } catch (XmppStringprepException e) {
            throw new TransportException("unusable nick " + nick, false, e);
        }
        log.startJoin();
        Presence enter = StanzaBuilder.buildPresence()
                .to(occupant)
                .addExtension(new MUCInitialPresence(null, -1, 0, -1, null))
                .build();
        StanzaCollector collector = connection.createStanzaCollector(
                new AndFilter(StanzaTypeFilter.PRESENCE, FromMatchesFilter.createFull(occupant)));
        Presence reply = null;
        try {
            connection.sendStanza(enter);
            long deadline = System.currentTimeMillis() + connection.getReplyTimeout();
            while (reply == null) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new TransportException("no answer from " + log.jid() + " to our join", true);
                }
                Presence p = collector.nextResult(left);
                if (p == null) {
                    continue;
                }
                if (p.getType() == Presence.Type.error) {
                    reply = p;
                } else if (p.getType() == Presence.Type.available) {
                    MUCUser x = MUCUser.from(p);
                    if (x != null && x.getStatus().contains(MUCUser.Status.PRESENCE_TO_SELF_110)) {
                        reply = p;
                    }
                }
            }
        } catch (SmackException.NotConnectedException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new TransportException("joining " + log.jid() + " failed: " + e, true, e);
        } finally {
            collector.cancel();
        }
        if (reply.getType() == Presence.Type.error) {
            StanzaError err = reply.getError();
            StanzaError.Condition c = err == null ? null : err.getCondition();
            boolean retry = c == StanzaError.Condition.resource_constraint || c == StanzaError.Condition.internal_server_error
                    || c == StanzaError.Condition.service_unavailable;
            throw new TransportException("cannot join " + log.jid() + ": " + c, retry);
        }
        Set<UserId> affiliated = affiliated(connection, log);
        Archive archive = new Archive(connection, log.jid());
        Optional<String> gapAfter = log.gapAfter();
        List<Archived> gap = gapAfter.isPresent() ? archive.after(gapAfter.get()) : List.of();
        String anchor = gapAfter.isPresent() ? "" : archive.latestId();
        log.finishJoin(affiliated, gap, anchor);
    }

    /** Owners, admins and members of the room. */
    public static Set<UserId> affiliated(XMPPTCPConnection connection, RoomLog log) throws TransportException {
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(log.jid());
        Set<UserId> out = new HashSet<>();
        try {
            for (List<Affiliate> list : List.of(muc.getOwners(), muc.getAdmins(), muc.getMembers())) {
                for (Affiliate a : list) {
                    if (a.getJid() != null) {
                        XmppIds.userIfValid(a.getJid().asBareJid()).ifPresent(out::add);
                    }
                }
            }
        } catch (XMPPException.XMPPErrorException e) {
            throw new TransportException("affiliation lists of " + log.jid() + " refused: "
                    + e.getStanzaError().getCondition(), false, e);
        } catch (SmackException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new TransportException("reading affiliations of " + log.jid() + " failed: " + e, true, e);
        }
        return out;
    }
}
