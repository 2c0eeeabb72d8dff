package org.mlsbridge.app.load;

import java.util.Objects;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.XmppConfig;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * An XMPP server for the load run: accounts {@code localpart@domain} with one password, rooms on
 * the MUC service {@code muc}, members-only and configured as the MLS transport needs.
 */
final class XmppLoadNetwork implements LoadNetwork {
    private final String host;
    private final int port;
    private final String domain;
    private final String muc;
    private final boolean tls;
    private final String password;
    private final Registrar registrar;

    XmppLoadNetwork(String host, int port, String domain, String muc, boolean tls, String password,
            Registrar registrar) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.domain = Objects.requireNonNull(domain, "domain");
        this.muc = Objects.requireNonNull(muc, "muc");
        this.tls = tls;
        this.password = Objects.requireNonNull(password, "password");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
    }

    @Override
    public UserId.Network kind() {
        return UserId.Network.XMPP;
    }

    @Override
    public UserId register(String localpart) throws Exception {
        registrar.register(localpart, password);
        return UserId.xmpp(localpart + "@" + domain);
    }

    @Override
    public Transport connect(UserId user) throws TransportException {
        String jid = user.address();
        XmppConfig config = XmppConfig.of(host, port, domain, jid.substring(0, jid.indexOf('@')), password);
        return XmppTransport.connect(tls ? config : config.withoutTls());
    }

    /** XMPP: another connection (each has a resource of its own). */
    @Override
    public Transport connectSecondReader(UserId user) throws TransportException {
        return connect(user);
    }

    /**
     * XMPP: another connection, a resource of its own. It follows only the rooms it joins, so the
     * MLS connection of the same account never sees the plain phase's room, nor the reverse.
     * Welcomes go to the bare JID; Prosody hands them to every resource at the top priority (ours
     * all have 0) and each connection reads them from the account's archive, so the plain
     * connection (which ignores them) takes none away from the MLS one.
     */
    @Override
    public Transport connectForPlainPhase(UserId user) throws TransportException {
        return connect(user);
    }

    @Override
    public RoomId createRoom(Transport owner, String name) throws TransportException {
        XmppTransport x = (XmppTransport) TimedTransport.unwrap(owner);
        RoomId room = new RoomId(name + "@" + muc);
        x.join(room);
        x.admin().configureForMls(room);
        return room;
    }

    @Override
    public void admit(Transport owner, RoomId room, UserId user) throws TransportException {
        ((XmppTransport) TimedTransport.unwrap(owner)).admin().grantMembership(room, user);
    }

    @Override
    public void enter(Transport member, RoomId room) throws TransportException {
        ((XmppTransport) TimedTransport.unwrap(member)).join(room);
    }

    @Override
    public void close() {
        // connections are closed by their users
    }
}
