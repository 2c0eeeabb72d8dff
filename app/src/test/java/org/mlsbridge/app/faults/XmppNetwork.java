package org.mlsbridge.app.faults;

import java.nio.file.Path;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.ProsodyServer;
import org.mlsbridge.xmpp.XmppConfig;
import org.mlsbridge.xmpp.XmppTransport;

/** A private Prosody: accounts by prosodyctl, rooms members-only, members let in by affiliation. */
public final class XmppNetwork implements FaultNetwork {
    private final ProsodyServer server;
    private int rooms;

    public XmppNetwork() throws Exception {
        server = ProsodyServer.start();
    }

    @Override
    public String name() {
        return "xmpp";
    }

    @Override
    public UserId register(String name) throws Exception {
        server.register(name);
        return user(name);
    }

    @Override
    public UserId user(String name) {
        return new UserId("xmpp:" + name + "@" + ProsodyServer.DOMAIN);
    }

    @Override
    public int port() {
        return server.account("x").port();
    }

    @Override
    public Transport connect(String name, int port) throws Exception {
        return XmppTransport.connect(XmppConfig.of("127.0.0.1", port, ProsodyServer.DOMAIN, name,
                ProsodyServer.PASSWORD).withoutTls());
    }

    @Override
    public RoomId createRoom(Transport bot) throws Exception {
        RoomId room = new RoomId("faults" + (++rooms) + "@" + ProsodyServer.MUC);
        XmppTransport t = (XmppTransport) bot;
        t.join(room);
        t.admin().configureForMls(room);
        return room;
    }

    @Override
    public void admit(Transport bot, RoomId room, String name) throws Exception {
        ((XmppTransport) bot).admin().grantMembership(room, user(name));
    }

    @Override
    public String clientYaml(String name, RoomId room, String bot, int port, Path database, Path keyFile,
            Path passwordFile) throws Exception {
        FaultNetwork.writeSecret(passwordFile, ProsodyServer.PASSWORD);
        return """
                xmpp:
                  jid: %s@%s
                  host: 127.0.0.1
                  port: %d
                  password-file: %s
                client:
                  network: xmpp
                  room: %s
                  bot: %s
                  database: %s
                  key-encryption-key-file: %s
                """.formatted(name, ProsodyServer.DOMAIN, port, passwordFile, room.value(), user(bot).value(),
                database, keyFile);
    }

    @Override
    public void stopServer() throws Exception {
        server.stop();
    }

    @Override
    public void startServer() throws Exception {
        server.startAgain();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
