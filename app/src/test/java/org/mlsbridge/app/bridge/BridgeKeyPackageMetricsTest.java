package org.mlsbridge.app.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.metrics.MetricsServer;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.Counters;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The bridge's KeyPackage levels on /metrics: what each network's transport reports (the XMPP
 * account's pool kept by a real client, as the member bot keeps it), read at most once a minute,
 * a failed read counted as an error and its network left out.
 */
class BridgeKeyPackageMetricsTest {
    private static final String SOURCE = "xmpp:bridge@example.org";
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void reportsEachNetworksLevelAsTheServerHasIt() throws Exception {
        InMemoryNetwork xmppNet = new InMemoryNetwork();
        InMemoryNetwork matrixNet = new InMemoryNetwork();
        UserId xmppUser = UserId.xmpp("bridge@example.org");
        UserId matrixUser = UserId.matrix("@bridge:example.org");
        Transport xmpp = xmppNet.connect(xmppUser);
        Transport matrix = matrixNet.connect(matrixUser);
        ClientOptions options = ClientOptions.DEFAULT;
        try (MemberClient pool = new MemberClient(xmpp, store(), options)) {
            matrix.publishKeyPackages(List.of(kp(1), kp(2)), Optional.empty());
            BridgeMetrics source = new BridgeMetrics(SOURCE, new Counters(), List.of(),
                    new KeyPackageLevels(Map.of("xmpp", xmpp, "matrix", matrix)));
            long t0 = System.nanoTime();
            source.refreshKeyPackages(t0);
            try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    List.of(source))) {
                String text = scrape(server);
                assertThat(options.keyPackagePool()).isPositive();
                assertThat(level(text, "xmpp")).isEqualTo(options.keyPackagePool());
                assertThat(level(text, "matrix")).isEqualTo(2);
                assertThat(errors(text)).isZero();

                // someone claims one of each: the gauge follows at the next read, not before a minute has passed
                Transport other = xmppNet.connect(UserId.xmpp("carol@example.org"));
                assertThat(other.claimKeyPackage(xmppUser)).isPresent();
                assertThat(matrixNet.connect(UserId.matrix("@dave:example.org")).claimKeyPackage(matrixUser)).isPresent();
                source.refreshKeyPackages(t0 + MINUTE / 2);
                assertThat(level(scrape(server), "xmpp")).isEqualTo(options.keyPackagePool());
                source.refreshKeyPackages(t0 + MINUTE);
                text = scrape(server);
                assertThat(level(text, "xmpp")).isEqualTo(options.keyPackagePool() - 1);
                assertThat(level(text, "matrix")).isEqualTo(1);

                // Matrix away: counted as an error, its level unknown (left out), XMPP's still read
                matrix.close();
                source.refreshKeyPackages(t0 + 2 * MINUTE);
                text = scrape(server);
                assertThat(errors(text)).isEqualTo(1);
                assertThat(text).doesNotContain("network=\"matrix\"");
                assertThat(level(text, "xmpp")).isEqualTo(options.keyPackagePool() - 1);
            }
        }
    }

    private static PublishedKeyPackage kp(int i) {
        return new PublishedKeyPackage(Bytes.wrap(new byte[] {(byte) i}), Bytes.wrap(new byte[] {9, (byte) i}));
    }

    private SqliteClientStore store() {
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        k[0] = 5;
        return new SqliteClientStore(SqliteStore.open(dir.resolve("bridge.db"), KeyEncryptionKey.of(k)));
    }

    private String scrape(MetricsServer server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static int level(String text, String network) {
        return (int) value(text, "mlsbridge_bridge_key_packages_available{network=\"" + network + "\",source=\""
                + SOURCE + "\"}");
    }

    private static long errors(String text) {
        return (long) value(text, "mlsbridge_errors_total{source=\"" + SOURCE + "\"}");
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
