package org.mlsbridge.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The health and metrics endpoint, in the Prometheus text format, on a loopback address (it has
 * no authentication):
 *
 * <pre>{@code
 * try (MetricsServer m = MetricsServer.start(settings.metricsListen(), List.of(source))) {
 *     ... // GET /metrics: the sources' values at the time of the scrape
 * }       // GET /health: 200 "ok" while every source is healthy, else 503 naming those that are not
 * }</pre>
 *
 * Each {@link MetricsSource} is labelled {@code source="<its name>"}; metric names are listed in
 * docs/operations.md.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code address} (port 0: a free one, see {@link #port}).
     *
     * @throws IllegalArgumentException the address is not a loopback address
     * @throws IOException the port cannot be bound
     */
    public static MetricsServer start(InetSocketAddress address, List<MetricsSource> sources) throws IOException {
        if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the metrics endpoint listens on a loopback address only, not "
                    + address);
        }
        List<MetricsSource> all = List.copyOf(sources);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new CountersCollector(all));
        HTTPServer server = HTTPServer.builder()
                .inetAddress(address.getAddress())
                .port(address.getPort())
                .registry(registry)
                .registerHealthHandler(false)
                .defaultHandler(exchange -> health(exchange, all))
                .buildAndStart();
        return new MetricsServer(server);
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** {@code /health}; every other path not served by the exporter is 404. */
    private static void health(HttpExchange exchange, List<MetricsSource> sources) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/health")) {
                send(exchange, 404, "not found; try /metrics or /health\n");
                return;
            }
            List<String> unhealthy = sources.stream().filter(s -> !s.healthy()).map(MetricsSource::name).toList();
            if (unhealthy.isEmpty()) {
                send(exchange, 200, "ok\n");
            } else {
                send(exchange, 503, "unhealthy: " + String.join(", ", unhealthy) + "\n");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
