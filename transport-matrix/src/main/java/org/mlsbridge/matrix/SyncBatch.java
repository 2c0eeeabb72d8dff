package org.mlsbridge.matrix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;

/**
 * The events of one sync from {@code since}, in delivery order: the to-device part first, then
 * each room's gap-free timeline, rooms sorted by id. Every raw event is an {@link Item} with its
 * index in its part, whether or not it gives a room event, so that cursors count raw events.
 */
final class SyncBatch {
    record Item(String part, int index, Optional<RoomEvent> event) {
    }

    private final String user;
    private final String since;
    private final String next;
    private final List<Item> items;
    private final Map<String, Integer> sizes = new HashMap<>();

    SyncBatch(String user, String since, String next, List<Item> items) {
        this.user = user;
        this.since = since;
        this.next = next;
        this.items = List.copyOf(items);
        for (Item i : items) {
            sizes.merge(i.part(), 1, Integer::sum);
        }
    }

    String since() {
        return since;
    }

    String next() {
        return next;
    }

    /** A part the cursor says is consumed beyond what this batch holds, if any. */
    Optional<String> beyondEnd(SyncCursor cursor) {
        for (Map.Entry<String, Integer> e : cursor.consumed().entrySet()) {
            if (e.getValue() > sizes.getOrDefault(e.getKey(), 0)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * The next at most {@code max} room events after {@code cursor} (a cursor of this batch's
     * {@code since}). Each carries the cursor after it; when nothing deliverable follows in this
     * batch, that is the start of the next batch, so the caller moves on without replaying.
     */
    List<Delivery> deliveriesAfter(SyncCursor cursor, int max) {
        int lastDeliverable = -1;
        for (int i = items.size() - 1; i >= 0 && lastDeliverable < 0; i--) {
            Item it = items.get(i);
            if (it.index() >= cursor.consumed(it.part()) && it.event().isPresent()) {
                lastDeliverable = i;
            }
        }
        Map<String, Integer> running = new LinkedHashMap<>(cursor.consumed());
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i <= lastDeliverable && out.size() < max; i++) {
            Item it = items.get(i);
            if (it.index() < cursor.consumed(it.part())) {
                continue;
            }
            // consumed up to here, including events that gave nothing
            running.put(it.part(), it.index() + 1);
            if (it.event().isPresent()) {
                SyncCursor after = i == lastDeliverable ? new SyncCursor(user, next, Map.of())
                        : new SyncCursor(user, since, running);
                out.add(new Delivery(it.event().get(), after.encode()));
            }
        }
        return out;
    }
}
