package org.mlsbridge.app.load;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.mlsbridge.app.bridge.Bridge;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.matrix.MatrixAccount;
import org.mlsbridge.matrix.MatrixConnector;
import org.mlsbridge.matrix.MatrixTransport;

/** A Matrix homeserver for the load run: accounts {@code @localpart:server} with one password, private rooms. */
final class MatrixLoadNetwork implements LoadNetwork {
    /** The plain phase's device of every account (the MLS phase's is the default one). */
    private static final String PLAIN_PHASE_DEVICE_ID = MatrixAccount.DEFAULT_DEVICE_ID + "-PLAIN";

    private final URI homeserver;
    private final String serverName;
    private final String password;
    private final Registrar registrar;
    private final MatrixConnector connector = new MatrixConnector();

    MatrixLoadNetwork(URI homeserver, String serverName, String password, Registrar registrar) {
        this.homeserver = Objects.requireNonNull(homeserver, "homeserver");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.password = Objects.requireNonNull(password, "password");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
    }

    @Override
    public UserId.Network kind() {
        return UserId.Network.MATRIX;
    }

    @Override
    public UserId register(String localpart) throws Exception {
        registrar.register(localpart, password);
        return UserId.matrix("@" + localpart + ":" + serverName);
    }

    @Override
    public Transport connect(UserId user) throws TransportException, InterruptedException {
        return connectAs(user, MatrixAccount.DEFAULT_DEVICE_ID);
    }

    @Override
    public Transport connectSecondReader(UserId user) throws TransportException, InterruptedException {
        return connectAs(user, MatrixAccount.DEFAULT_DEVICE_ID + Bridge.MEMBERS_DEVICE_SUFFIX);
    }

    @Override
    public Transport connectForPlainPhase(UserId user) throws TransportException, InterruptedException {
        return connectAs(user, PLAIN_PHASE_DEVICE_ID);
    }

    private Transport connectAs(UserId user, String device) throws TransportException, InterruptedException {
        MatrixTransport t = connector.connect(new MatrixAccount(homeserver, user, password).withDevice(device));
        t.login();
        return t;
    }

    @Override
    public RoomId createRoom(Transport owner, String name) throws TransportException {
        return ((MatrixTransport) TimedTransport.unwrap(owner)).createRoom(name, List.of());
    }

    @Override
    public void admit(Transport owner, RoomId room, UserId user) throws TransportException {
        ((MatrixTransport) TimedTransport.unwrap(owner)).invite(room, user);
    }

    @Override
    public void enter(Transport member, RoomId room) throws TransportException {
        ((MatrixTransport) TimedTransport.unwrap(member)).join(room);
    }

    @Override
    public void close() {
        connector.close();
    }
}
