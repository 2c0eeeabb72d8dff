package org.mlsbridge.xmpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of Prosody that drops connections at chosen points of the XMPP
 * stream: {@link #severAll} resets every open connection, and {@link #cutAfter} makes the next
 * connections reset themselves as soon as the server has sent a given element (for example SASL's
 * {@code <success}), so a reconnect can be cut while it logs in. Plain-text streams only.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = new ArrayList<>();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile String trigger = "";
    private volatile boolean closed;

    CuttingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** The next {@code connections} connections are reset right after the server sends {@code serverText}. */
    void cutAfter(String serverText, int connections) {
        trigger = serverText;
        cutsLeft.set(connections);
    }

    /** Cuts still to come from {@link #cutAfter}. */
    int cutsLeft() {
        return cutsLeft.get();
    }

    /** Resets every connection open now. */
    void severAll() {
        List<Socket> now;
        synchronized (open) {
            now = new ArrayList<>(open);
            open.clear();
        }
        now.forEach(CuttingProxy::reset);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                synchronized (open) {
                    open.add(client);
                    open.add(server);
                }
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
                if (fromServer && shouldCut(new String(buf, 0, n, StandardCharsets.UTF_8))) {
                    reset(from);
                    reset(to);
                    return;
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            reset(from);
            reset(to);
        }
    }

    private boolean shouldCut(String chunk) {
        String t = trigger;
        return !t.isEmpty() && chunk.contains(t) && cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not FIN: the connection is lost, not closed
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        severAll();
    }
}
