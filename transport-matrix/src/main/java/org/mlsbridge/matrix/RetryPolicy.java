package org.mlsbridge.matrix;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a request is retried. Rate limits (429) wait as long as the server asks ({@code Retry-After},
 * else {@code retry_after_ms}) up to {@link #maxRetryAfter}; server errors (5xx) and network
 * failures back off exponentially from {@link #initialBackoff} up to {@link #maxBackoff}, each wait
 * drawn uniformly from its upper half (jitter) so clients that failed together do not retry
 * together. After {@link #maxAttempts} the call fails with a retryable exception: nothing is
 * retried forever.
 *
 * @param requestTimeout timeout of one request (a long-polling sync adds its own wait)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
        Duration requestTimeout) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofSeconds(60), Duration.ofSeconds(30));

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff");
        }
        if (requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("requestTimeout must be at least 1 ms");
        }
    }

    /** The wait before retry number {@code retry} (1 = first retry) after a server or network error. */
    Duration backoff(int retry, RandomGenerator random) {
        long cap = maxBackoff.toMillis();
        long exp = initialBackoff.toMillis() << Math.min(Math.max(retry - 1, 0), 20);
        long upper = Math.min(cap, exp);
        long lower = upper / 2;
        return Duration.ofMillis(lower + random.nextLong(upper - lower + 1));
    }
}
