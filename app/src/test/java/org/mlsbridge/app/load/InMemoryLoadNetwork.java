package org.mlsbridge.app.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;

/**
 * A network of the load run in memory, which tells what the run registered and which account
 * signed in how. As on Matrix, every connection of an account reads all of the account's rooms
 * ({@link InMemoryNetwork}: a stream per user).
 */
final class InMemoryLoadNetwork implements LoadNetwork {
    /** How a connection was asked for. */
    enum Connection { MLS_PHASE, SECOND_READER, PLAIN_PHASE }

    private final UserId.Network kind;
    private final InMemoryNetwork server = new InMemoryNetwork();
    private final List<String> registered = Collections.synchronizedList(new ArrayList<>());
    private final Map<UserId, List<Connection>> connections = Collections.synchronizedMap(new LinkedHashMap<>());

    InMemoryLoadNetwork(UserId.Network kind) {
        this.kind = kind;
    }

    /** Localparts registered, in order. */
    List<String> registered() {
        return List.copyOf(registered);
    }

    /** Each account that signed in, with its connections in order. */
    Map<UserId, List<Connection>> connections() {
        synchronized (connections) {
            return Map.copyOf(connections);
        }
    }

    @Override
    public UserId.Network kind() {
        return kind;
    }

    /** The account named {@code localpart} on this network. */
    UserId user(String localpart) {
        return kind == UserId.Network.XMPP ? UserId.xmpp(localpart + "@mem.test")
                : UserId.matrix("@" + localpart + ":mem.test");
    }

    @Override
    public UserId register(String localpart) {
        registered.add(localpart);
        return user(localpart);
    }

    private Transport connect(UserId user, Connection how) {
        connections.computeIfAbsent(user, u -> Collections.synchronizedList(new ArrayList<>())).add(how);
        return server.connect(user);
    }

    @Override
    public Transport connect(UserId user) {
        return connect(user, Connection.MLS_PHASE);
    }

    @Override
    public Transport connectSecondReader(UserId user) {
        return connect(user, Connection.SECOND_READER);
    }

    @Override
    public Transport connectForPlainPhase(UserId user) {
        return connect(user, Connection.PLAIN_PHASE);
    }

    @Override
    public RoomId createRoom(Transport owner, String name) {
        RoomId room = new RoomId(kind == UserId.Network.XMPP ? name + "@muc.mem.test" : "!" + name + ":mem.test");
        server.createRoom(room);
        server.join(room, owner.self());
        return room;
    }

    /** In memory any account may enter any room. */
    @Override
    public void admit(Transport owner, RoomId room, UserId user) {
    }

    @Override
    public void enter(Transport member, RoomId room) {
        server.join(room, member.self());
    }

    @Override
    public void close() {
        // nothing held
    }
}
