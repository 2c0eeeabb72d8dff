package org.mlsbridge.servers;

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
 * A TCP proxy on 127.0.0.1 in front of a local server, for fault tests: every accepted client
 * connection is relayed to the server's port, {@link #severAll} resets all of them at once in
 * the middle of whatever is being sent, and {@link #cutAfter} makes the next connections reset
 * themselves as soon as the server has sent a given text (for example XMPP's SASL
 * {@code <success}), so a reconnect can be cut while it logs in. New connections are accepted
 * again right away.
 *
 * <p>A reset closes both sockets with RST, not FIN: that is how a lost network path shows itself,
 * as opposed to a peer that closed the connection. The trigger text is looked for in each chunk
 * the server sends, so it must not be split across reads: fine for plain-text streams, whose
 * elements of interest arrive whole.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger severed = new AtomicInteger();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile String trigger = "";
    private volatile boolean closed;

    /** Starts a proxy to {@code targetPort} of 127.0.0.1 on a free port of its own. */
    public CuttingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("cutting-proxy-accept").start(this::accept);
    }

    /** The port clients connect to instead of the server's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Client connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Resets every connection open now; returns how many client connections that cut. */
    public int severAll() {
        List<Socket> now;
        synchronized (open) {
            now = new ArrayList<>(open);
            open.clear();
        }
        now.forEach(CuttingProxy::reset);
        int clients = now.size() / 2;
        severed.addAndGet(clients);
        return clients;
    }

    /** Client connections cut by {@link #severAll} so far. */
    public int severed() {
        return severed.get();
    }

    /** The next {@code connections} connections are reset right after the server sends {@code serverText}. */
    public void cutAfter(String serverText, int connections) {
        trigger = serverText;
        cutsLeft.set(connections);
    }

    /** Cuts still to come from {@link #cutAfter}. */
    public int cutsLeft() {
        return cutsLeft.get();
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
            s.setSoLinger(true, 0);
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
