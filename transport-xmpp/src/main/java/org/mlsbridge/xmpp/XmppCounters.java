package org.mlsbridge.xmpp;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the transport dropped or ignored. Dropped: stanzas that claim to be mlsbridge's but cannot
 * be (malformed payload, forged sender, missing ids), by reason. Ignored: room messages without an
 * mlsbridge element (plain chat). A message seen again (e.g. in a later archive query) is counted
 * again.
 */
public final class XmppCounters {
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final AtomicLong ignored = new AtomicLong();

    public void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    public void ignored() {
        ignored.incrementAndGet();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<String, Long> droppedByReason() {
        Map<String, Long> out = new TreeMap<>();
        dropped.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long ignoredTotal() {
        return ignored.get();
    }

    @Override
    public String toString() {
        return "XmppCounters[dropped=" + droppedByReason() + ", ignored=" + ignored.get() + "]";
    }
}
