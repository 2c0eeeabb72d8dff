package org.mlsbridge.xmpp;

import java.util.Optional;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;

/**
 * Identities: a user is the URI {@code xmpp:} + bare JID (RFC 5122), a room its MUC bare JID as is.
 */
public final class XmppIds {
    public static final String SCHEME = "xmpp:";

    private XmppIds() {
    }

    public static UserId user(BareJid jid) {
        return new UserId(SCHEME + jid.asUnescapedString());
    }

    /**
     * The account of a JID the server reported (a room's real JID, an archived sender), if it is
     * one: jxmpp accepts JIDs that are no account URI (a domain with a space, over the length
     * limit once unescaped), and a hostile server may send them.
     */
    public static Optional<UserId> userIfValid(BareJid jid) {
        String v = SCHEME + jid.asUnescapedString();
        return UserId.isValid(v) ? Optional.of(new UserId(v)) : Optional.empty();
    }

    /** The bare JID a user id names; a user of another network is a non-retryable error. */
    public static EntityBareJid jid(UserId user) throws TransportException {
        return parseUser(user).orElseThrow(
                () -> new TransportException("not an XMPP user id (xmpp:local@domain): " + user, false));
    }

    static Optional<EntityBareJid> parseUser(UserId user) {
        String v = user.value();
        if (!v.startsWith(SCHEME) || v.indexOf('/') >= 0 || v.indexOf('?') >= 0) {
            return Optional.empty();
        }
        return entityBare(v.substring(SCHEME.length()));
    }

    public static EntityBareJid room(RoomId room) throws TransportException {
        return entityBare(room.value()).orElseThrow(
                () -> new TransportException("not a MUC bare JID: " + room, false));
    }

    public static RoomId room(EntityBareJid jid) {
        return new RoomId(jid.asUnescapedString());
    }

    static Optional<EntityBareJid> entityBare(String s) {
        try {
            EntityBareJid j = JidCreate.entityBareFrom(s);
            // Only the canonical spelling: the same user must always be the same UserId.
            return j.asUnescapedString().equals(s) ? Optional.of(j) : Optional.empty();
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
