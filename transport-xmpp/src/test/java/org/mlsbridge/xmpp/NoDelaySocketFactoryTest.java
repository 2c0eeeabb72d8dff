package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

class NoDelaySocketFactoryTest {
    @Test
    void everySocketItMakesHasNagleOff() throws Exception {
        SocketFactory f = new NoDelaySocketFactory();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 10, loopback)) {
            int port = server.getLocalPort();
            List<Socket> made = new ArrayList<>();
            try {
                made.add(f.createSocket());
                made.add(f.createSocket("127.0.0.1", port));
                made.add(f.createSocket(loopback, port));
                made.add(f.createSocket("127.0.0.1", port, loopback, 0));
                made.add(f.createSocket(loopback, port, loopback, 0));
                for (Socket s : made) {
                    assertThat(s.getTcpNoDelay()).as("TCP_NODELAY of %s", s).isTrue();
                }
                assertThat(made.subList(1, made.size())).allSatisfy(s -> assertThat(s.isConnected()).isTrue());
            } finally {
                for (Socket s : made) {
                    s.close();
                }
            }
        }
    }

    @Test
    void theTransportsConnectionsUseIt() throws Exception {
        XmppConfig config = XmppConfig.of("127.0.0.1", 5222, "localhost", "alice", "secret").withoutTls();
        SocketFactory used = XmppTransport.connectionConfiguration(config).getSocketFactory();
        assertThat(used).isInstanceOf(NoDelaySocketFactory.class);
        try (Socket s = used.createSocket()) {
            assertThat(s.getTcpNoDelay()).isTrue();
        }
    }
}
