package org.mlsbridge.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault tests' proxy against a line-echo server of its own on 127.0.0.1. */
class CuttingProxyTest {
    private ServerSocket echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> echoLines(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    @Test
    void relaysBothWaysUntilSevered() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(echo.getLocalPort());
                Socket first = connect(proxy);
                Socket second = connect(proxy)) {
            assertThat(roundTrip(first, "hello")).isEqualTo("hello");
            assertThat(roundTrip(second, "world")).isEqualTo("world");

            assertThat(proxy.severAll()).isEqualTo(2);

            assertThatThrownBy(() -> roundTrip(first, "gone")).isInstanceOf(IOException.class);
            assertThat(proxy.severed()).isEqualTo(2);
            assertThat(proxy.accepted()).isEqualTo(2);
            try (Socket third = connect(proxy)) {
                assertThat(roundTrip(third, "again")).isEqualTo("again");
            }
        }
    }

    @Test
    void cutsTheNextConnectionsRightAfterTheServerSendsTheTrigger() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(echo.getLocalPort())) {
            proxy.cutAfter("<success", 1);
            try (Socket cut = connect(proxy)) {
                assertThat(roundTrip(cut, "<features")).isEqualTo("<features");
                // the trigger may or may not reach the client before the reset; nothing after it does
                assertThatThrownBy(() -> {
                    roundTrip(cut, "<success");
                    roundTrip(cut, "<more");
                }).isInstanceOf(IOException.class);
            }
            assertThat(proxy.cutsLeft()).isZero();
            try (Socket next = connect(proxy)) {
                assertThat(roundTrip(next, "<success")).isEqualTo("<success");
                assertThat(roundTrip(next, "<still-there")).isEqualTo("<still-there");
            }
        }
    }

    private static Socket connect(CuttingProxy proxy) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends one line and reads the echoed line; an IOException (or end of stream) once the path is cut. */
    private static String roundTrip(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new SocketException("connection closed");
            }
            got.append((char) b);
        }
        return got.toString();
    }

    private static void echoLines(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            // a whole line per write, so the proxy sees a trigger in one read
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                line.write(b);
                if (b == '\n') {
                    out.write(line.toByteArray());
                    out.flush();
                    line.reset();
                }
            }
        } catch (IOException e) {
            // the proxy reset us
        }
    }
}
