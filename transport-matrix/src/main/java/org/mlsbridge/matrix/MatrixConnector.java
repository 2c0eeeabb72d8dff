package org.mlsbridge.matrix;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Owns the Vert.x instance that all {@link MatrixTransport}s of a process share, and opens
 * them. Each transport gets its own HTTP connection pool, so one client's long-polling sync
 * never holds up another's sends. Close it after the transports.
 */
public final class MatrixConnector implements AutoCloseable {
    private final Vertx vertx;
    private final RetryPolicy policy;

    public MatrixConnector(RetryPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    }

    public MatrixConnector() {
        this(RetryPolicy.DEFAULT);
    }

    /** A new connection of {@code account}; it logs in on first use (or {@link MatrixTransport#login}). */
    public MatrixTransport connect(MatrixAccount account) {
        WebClient client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("mlsbridge")
                .setKeepAlive(true)
                .setFollowRedirects(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, policy.requestTimeout().toMillis())),
                new PoolOptions().setHttp1MaxSize(8));
        return new MatrixTransport(client, account, policy);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing is best effort; the threads are daemons
        }
    }
}
