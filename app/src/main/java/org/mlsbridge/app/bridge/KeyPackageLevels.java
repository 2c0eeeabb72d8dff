package org.mlsbridge.app.bridge;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many one-time KeyPackages of the bridge's own accounts each network's server holds
 * unclaimed ({@link Transport#availableKeyPackages}), read at most once per {@link #EVERY}: each
 * read is a server call, so the loop asks {@link #refreshIfDue} after a turn and most calls do
 * nothing. In member mode the bot's own pool is the one on its home network's account. A network
 * whose read failed is left out (an unknown level, not a stale one) until a read succeeds again.
 */
final class KeyPackageLevels {
    private static final Logger LOG = LoggerFactory.getLogger(KeyPackageLevels.class);
    static final Duration EVERY = Duration.ofMinutes(1);

    private final Map<String, Transport> accounts;
    private final Duration every;
    private volatile Map<String, Integer> levels = Map.of();
    private long lastRead;
    private boolean read;

    /** @param accounts the transport to ask, by network name (the metric's {@code network} label) */
    KeyPackageLevels(Map<String, Transport> accounts, Duration every) {
        this.accounts = new LinkedHashMap<>(accounts);
        this.every = every;
    }

    KeyPackageLevels(Map<String, Transport> accounts) {
        this(accounts, EVERY);
    }

    /**
     * Reads every network's level if the last read is {@link #EVERY} old (or there was none);
     * called by the loop's thread only.
     *
     * @return the number of networks whose read failed (the caller counts them as errors)
     */
    int refreshIfDue(long nowNanos) {
        if (read && nowNanos - lastRead < every.toNanos()) {
            return 0;
        }
        read = true;
        lastRead = nowNanos;
        Map<String, Integer> out = new LinkedHashMap<>();
        int failed = 0;
        for (Map.Entry<String, Transport> e : accounts.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().availableKeyPackages());
            } catch (TransportException | RuntimeException ex) {
                failed++;
                LOG.warn("cannot read the KeyPackage level: network={} reason={}", e.getKey(), ex.getMessage());
            }
        }
        levels = Collections.unmodifiableMap(new TreeMap<>(out));
        return failed;
    }

    /** The last read levels by network; safe from any thread. */
    Map<String, Integer> levels() {
        return levels;
    }
}
