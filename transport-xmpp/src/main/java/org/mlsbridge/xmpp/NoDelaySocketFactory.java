package org.mlsbridge.xmpp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets with Nagle's algorithm off ({@code TCP_NODELAY}), for Smack to connect with (TLS
 * is layered on top of them).
 *
 * <p>With Nagle on, a stanza written while an earlier small write is unacknowledged waits for that
 * acknowledgement. Stream management makes such a write common: the client answers the server's
 * ack request ({@code <a/>}), the server has nothing to send back, so its kernel delays the TCP
 * acknowledgement (up to 40 ms on Linux), and a message sent in that window waits out the delay.
 * On a loopback Prosody this put about 11 ms of waiting into a send of one room message, before
 * the server saw a byte (measured with {@code RoomHopBench}; docs/performance.md). A chat
 * message is one write; there is nothing for Nagle to coalesce.
 */
final class NoDelaySocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    /** A new socket bound to {@code local} (any, if null) and connected to {@code remote}. */
    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }
}
