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
        MatrixTransport t = connector.connect(new MatrixAccount(homeserver, user, password));
        t.login();
        return t;
    }

    @Override
    public Transport connectSecondReader(UserId user) throws TransportException, InterruptedException {
        MatrixTransport t = connector.connect(new MatrixAccount(homeserver, user, password)
                .withDevice(MatrixAccount.DEFAULT_DEVICE_ID + Bridge.MEMBERS_DEVICE_SUFFIX));
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
