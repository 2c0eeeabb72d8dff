package org.mlsbridge.app.connect;

import java.net.InetAddress;
import java.nio.file.Path;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKeys;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.config.MatrixAccount;
import org.mlsbridge.config.Network;
import org.mlsbridge.config.XmppAccount;
import org.mlsbridge.matrix.MatrixConnector;
import org.mlsbridge.matrix.MatrixTransport;
import org.mlsbridge.xmpp.XmppConfig;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * Turns the configuration into live connections and stores, shared by the {@code client} and
 * {@code bridge} commands: an {@link XmppTransport} or a {@link MatrixTransport} signed in with
 * the account's password (read from its file by the configuration), and a {@link SqliteClientStore}
 * encrypted with the key in the configured key file (generated there on the first start).
 * Owns the Matrix connector (its event loop threads), so close it after the transports.
 */
public final class Connections implements AutoCloseable {
    private MatrixConnector matrix;

    /** Signs in to the XMPP server; STARTTLS is required unless the server is on this machine. */
    public XmppTransport xmpp(XmppAccount account) throws TransportException {
        int at = account.jid().indexOf('@');
        XmppConfig config = XmppConfig.of(account.host(), account.port(), account.jid().substring(at + 1),
                account.jid().substring(0, at), account.password().reveal())
                .withMaxPayloadBytes(maxPayloadBytes(account.maxStanzaBytes()));
        if (isLoopback(account.host())) {
            config = config.withoutTls();
        }
        return XmppTransport.connect(config);
    }

    /** Signs in to the homeserver as the configured {@code device-id}. */
    public MatrixTransport matrix(MatrixAccount account) throws TransportException, InterruptedException {
        return matrix(account, account.deviceId());
    }

    /** Signs in to the homeserver as {@code device} of the account (the bridge's configured device, or a second one). */
    public synchronized MatrixTransport matrix(MatrixAccount account, String device)
            throws TransportException, InterruptedException {
        if (matrix == null) {
            matrix = new MatrixConnector();
        }
        MatrixTransport t = matrix.connect(new org.mlsbridge.matrix.MatrixAccount(account.homeserver(),
                new UserId(account.uri()), account.password().reveal(), device));
        t.login();
        return t;
    }

    /** The account's transport on {@code network}, signed in (the account's section must be present). */
    public Transport open(Network network, XmppAccount xmppAccount, MatrixAccount matrixAccount)
            throws TransportException, InterruptedException {
        return network == Network.XMPP ? xmpp(xmppAccount) : matrix(matrixAccount);
    }

    /**
     * Enters the room (a no-op if already in it). Do it after the account's KeyPackages are
     * published (the MemberClient's constructor does that): the room's bot claims one as soon as
     * it sees the account arrive.
     */
    public static void join(Transport transport, RoomId room) throws TransportException {
        switch (transport) {
            case XmppTransport x -> x.join(room);
            case MatrixTransport m -> m.join(room);
            default -> throw new IllegalArgumentException("no room entry for " + transport);
        }
    }

    /** The encrypted state of a client or bot; the key is generated in {@code keyFile} if absent. */
    public static SqliteClientStore store(Path database, Path keyFile) {
        return new SqliteClientStore(SqliteStore.open(database, KeyEncryptionKeys.loadOrCreate(keyFile)));
    }

    /**
     * The largest MLS message whose base64 fits a stanza of the server's limit with 16 KiB left for
     * the stanza around it (for Prosody's default 256 KiB: the transport's default, 180 KiB).
     */
    static int maxPayloadBytes(int maxStanzaBytes) {
        return Math.max(maxStanzaBytes / 2, (maxStanzaBytes - 16_384) / 4 * 3);
    }

    /** True for {@code localhost} and loopback IP literals, without a DNS lookup. */
    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+") && !(h.contains(":") && h.matches("[0-9A-Fa-f:.]+"))) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (matrix != null) {
            matrix.close();
            matrix = null;
        }
    }
}
