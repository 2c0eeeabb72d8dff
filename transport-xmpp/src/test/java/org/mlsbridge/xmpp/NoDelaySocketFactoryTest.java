package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void saysOnceWhenReadingFromTheNewestSocketEndsAndNothingForAnOlderOne() throws Exception {
        NoDelaySocketFactory f = new NoDelaySocketFactory();
        AtomicInteger lost = new AtomicInteger();
        f.whenNewestLost(lost::incrementAndGet);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 10, loopback);
                Socket older = f.createSocket(loopback, server.getLocalPort());
                Socket olderPeer = server.accept();
                Socket newest = f.createSocket(loopback, server.getLocalPort());
                Socket newestPeer = server.accept()) {
            olderPeer.close();
            assertThat(older.getInputStream().read()).isEqualTo(-1);
            assertThat(lost).as("an older socket's end").hasValue(0);

            newestPeer.getOutputStream().write(7);
            assertThat(newest.getInputStream().read()).isEqualTo(7);
            assertThat(lost).as("a byte read").hasValue(0);
            newestPeer.close();
            assertThat(newest.getInputStream().read(new byte[8], 0, 8)).isEqualTo(-1);
            assertThat(newest.getInputStream().read()).isEqualTo(-1);
            assertThat(lost).as("the newest socket's end, read twice").hasValue(1);
        }
    }
}
