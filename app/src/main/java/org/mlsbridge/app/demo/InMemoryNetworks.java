package org.mlsbridge.app.demo;

import java.time.Duration;
import java.util.Set;
import org.mlsbridge.bridge.relay.RoomSide;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;

/** Both networks in this process: instant, and every step settles within a few rounds. */
final class InMemoryNetworks implements DemoNetworks {
    private static final RoomId XMPP_ROOM = new RoomId("lounge@muc.example.org");
    private static final RoomId MATRIX_ROOM = new RoomId("!lounge:example.org");
    private final InMemoryNetwork xmpp = new InMemoryNetwork();
    private final InMemoryNetwork matrix = new InMemoryNetwork();

    @Override
    public String description() {
        return "two in-process networks (XMPP and Matrix)";
    }

    @Override
    public UserId xmppUser(String localpart) {
        return UserId.xmpp(localpart + "@example.org");
    }

    @Override
    public UserId matrixUser(String localpart) {
        return UserId.matrix("@" + localpart + ":example.org");
    }

    @Override
    public Bridge openBridge() {
        UserId bridgeXmpp = xmppUser("bridge");
        UserId bridgeMatrix = matrixUser("bridge");
        UserId bot = xmppUser("bridge-bot");
        xmpp.join(XMPP_ROOM, bridgeXmpp);
        xmpp.join(XMPP_ROOM, bot);
        matrix.join(MATRIX_ROOM, bridgeMatrix);
        // In process a second connection of the bridge's Matrix account is free of side effects.
        return new Bridge(new RoomSide(XMPP_ROOM, xmpp.connect(bridgeXmpp)),
                new RoomSide(MATRIX_ROOM, matrix.connect(bridgeMatrix)), bot, xmpp.connect(bot),
                matrix.connect(bridgeMatrix), Set.of(bridgeXmpp, bridgeMatrix));
    }

    @Override
    public Transport connect(UserId user) {
        return networkOf(user).connect(user);
    }

    @Override
    public void enter(UserId user, Transport connection) {
        networkOf(user).join(roomOf(user), user);
    }

    @Override
    public void ban(UserId user) {
        networkOf(user).ban(roomOf(user), user);
    }

    @Override
    public Duration quiet() {
        return Duration.ZERO;
    }

    @Override
    public Duration patience() {
        return Duration.ofSeconds(60);
    }

    private InMemoryNetwork networkOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? xmpp : matrix;
    }

    private static RoomId roomOf(UserId u) {
        return u.network() == UserId.Network.XMPP ? XMPP_ROOM : MATRIX_ROOM;
    }

    @Override
    public void close() {
        // nothing runs outside the connections, which the demo closes
    }
}
