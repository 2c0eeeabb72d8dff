package org.mlsbridge.app.demo;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.matrix.MatrixAccount;
import org.mlsbridge.matrix.MatrixConnector;
import org.mlsbridge.matrix.MatrixTransport;
import org.mlsbridge.servers.LocalProsody;
import org.mlsbridge.servers.LocalServers;
import org.mlsbridge.servers.LocalSynapse;
import org.mlsbridge.xmpp.XmppConfig;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * A local Prosody and a local Synapse on 127.0.0.1, started for the demo and stopped with it:
 * every account is registered with a fresh random password (prosodyctl, Synapse's registration
 * shared secret) and signs in through the real transports. The XMPP room is a members-only MUC
 * owned by the bridge's XMPP account; the Matrix room a private room created by the bridge's
 * Matrix account. The bot watches the Matrix room with an account of its own, so no Matrix
 * device is shared between two connections.
 */
final class ServerNetworks implements DemoNetworks {
    private final LocalServers servers;
    private final MatrixConnector matrix = new MatrixConnector();
    private final Map<UserId, String> passwords = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private XmppTransport xmppOwner;
    private MatrixTransport matrixOwner;
    private RoomId xmppRoom;
    private RoomId matrixRoom;

    ServerNetworks(LocalServers servers) {
        this.servers = servers;
    }

    @Override
    public String description() {
        return "a local Prosody (127.0.0.1:" + servers.prosody().port() + ") and Synapse (" + servers.synapse().url()
                + ")";
    }

    @Override
    public UserId xmppUser(String localpart) {
        return UserId.xmpp(localpart + "@" + LocalProsody.DOMAIN);
    }

    @Override
    public UserId matrixUser(String localpart) {
        return UserId.matrix("@" + localpart + ":" + LocalSynapse.SERVER_NAME);
    }

    @Override
    public Bridge openBridge() throws Exception {
        UserId bridgeXmpp = xmppUser("bridge");
        UserId bot = xmppUser("bridge-bot");
        UserId bridgeMatrix = matrixUser("bridge");
        UserId botMatrix = matrixUser("bridge-bot");
        xmppOwner = (XmppTransport) connect(bridgeXmpp);
        xmppRoom = new RoomId("lounge@" + LocalProsody.MUC);
        xmppOwner.join(xmppRoom);
        xmppOwner.admin().configureForMls(xmppRoom);
        Transport botXmpp = connect(bot);
        enter(bot, botXmpp);
        matrixOwner = (MatrixTransport) connect(bridgeMatrix);
        Transport botAway = connect(botMatrix);
        matrixRoom = matrixOwner.createRoom("lounge", List.of(botMatrix));
        Connections.join(botAway, matrixRoom);
        return new Bridge(new RoomSide(xmppRoom, xmppOwner), new RoomSide(matrixRoom, matrixOwner), bot, botXmpp,
                botAway, Set.of(bridgeXmpp, bridgeMatrix, botMatrix));
    }

    @Override
    public Transport connect(UserId user) throws Exception {
        String password = passwords.computeIfAbsent(user, u -> HexFormat.of().formatHex(bytes(16)));
        String localpart = localpart(user);
        if (user.network() == UserId.Network.XMPP) {
            servers.prosody().register(localpart, password);
            return XmppTransport.connect(XmppConfig.of("127.0.0.1", servers.prosody().port(), LocalProsody.DOMAIN,
                    localpart, password).withoutTls());
        }
        servers.synapse().register(localpart, password);
        MatrixTransport t = matrix.connect(new MatrixAccount(servers.synapse().url(), user, password));
        t.login();
        return t;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String localpart(UserId user) {
        String a = user.address();
        return user.network() == UserId.Network.XMPP ? a.substring(0, a.indexOf('@')) : a.substring(1, a.indexOf(':'));
    }

    @Override
    public void enter(UserId user, Transport connection) throws TransportException {
        if (user.network() == UserId.Network.XMPP) {
            xmppOwner.admin().grantMembership(xmppRoom, user);
            Connections.join(connection, xmppRoom);
        } else {
            matrixOwner.invite(matrixRoom, user);
            Connections.join(connection, matrixRoom);
        }
    }

    @Override
    public void ban(UserId user) throws TransportException {
        if (user.network() == UserId.Network.XMPP) {
            xmppOwner.admin().ban(xmppRoom, user);
        } else {
            matrixOwner.ban(matrixRoom, user, "removed in the demo");
        }
    }

    @Override
    public Duration quiet() {
        // a message posted on one server may take a sync round trip to show on the other
        return Duration.ofMillis(1500);
    }

    @Override
    public Duration patience() {
        return Duration.ofSeconds(90);
    }

    @Override
    public void close() throws InterruptedException {
        matrix.close();
        servers.close();
    }
}
