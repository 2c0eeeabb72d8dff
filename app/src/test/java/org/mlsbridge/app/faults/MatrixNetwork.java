package org.mlsbridge.app.faults;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.matrix.MatrixAccount;
import org.mlsbridge.matrix.MatrixConnector;
import org.mlsbridge.matrix.MatrixTransport;
import org.mlsbridge.matrix.SynapseServer;

/** A private Synapse: accounts by shared-secret registration, members invited by the room's owner. */
final class MatrixNetwork implements FaultNetwork {
    private final SynapseServer server;
    private final MatrixConnector connector = new MatrixConnector();

    MatrixNetwork() throws Exception {
        server = SynapseServer.start();
    }

    @Override
    public String name() {
        return "matrix";
    }

    private static String password(String name) {
        return "pw-" + name;
    }

    @Override
    public UserId register(String name) throws Exception {
        return server.register(name, password(name));
    }

    @Override
    public UserId user(String name) {
        return new UserId("matrix:u/" + name + ":" + SynapseServer.SERVER_NAME);
    }

    @Override
    public int port() {
        return server.url().getPort();
    }

    private static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public Transport connect(String name, int port) throws Exception {
        MatrixTransport t = connector.connect(new MatrixAccount(url(port), user(name), password(name)));
        t.login();
        return t;
    }

    @Override
    public RoomId createRoom(Transport bot) throws Exception {
        return ((MatrixTransport) bot).createRoom("faults", List.of());
    }

    @Override
    public void admit(Transport bot, RoomId room, String name) throws Exception {
        ((MatrixTransport) bot).invite(room, user(name));
    }

    @Override
    public String clientYaml(String name, RoomId room, String bot, int port, Path database, Path keyFile,
            Path passwordFile) throws Exception {
        FaultNetwork.writeSecret(passwordFile, password(name));
        return """
                matrix:
                  homeserver: %s
                  user-id: "@%s:%s"
                  password-file: %s
                client:
                  network: matrix
                  room: "%s"
                  bot: "@%s:%s"
                  database: %s
                  key-encryption-key-file: %s
                """.formatted(url(port), name, SynapseServer.SERVER_NAME, passwordFile, room.value(), bot,
                SynapseServer.SERVER_NAME, database, keyFile);
    }

    @Override
    public void stopServer() throws Exception {
        server.kill();
    }

    @Override
    public void startServer() throws Exception {
        server.startAgain();
    }

    @Override
    public void close() throws Exception {
        connector.close();
        server.close();
    }
}
