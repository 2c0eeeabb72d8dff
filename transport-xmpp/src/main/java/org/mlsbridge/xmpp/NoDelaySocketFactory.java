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
 *
 * <p>The sockets are {@link WatchedSocket}s: when reading from the newest one ends, the factory
 * runs the action given to {@link #whenNewestLost} (the transport's {@code Reconnector}), so a
 * reconnect cut while it logs in is noticed at once. An older socket ending late says nothing.
 */
final class NoDelaySocketFactory extends SocketFactory {
    private volatile Socket newest;
    private volatile Runnable onNewestLost = () -> { };

    /** What to run when reading from the newest socket has ended (its connection is gone). */
    void whenNewestLost(Runnable action) {
        onNewestLost = action;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = noDelay(new WatchedSocket(this::readEnded));
        newest = s;
        return s;
    }

    private void readEnded(WatchedSocket s) {
        if (s == newest) {
            onNewestLost.run();
        }
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
