package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;

/** Small lists of names (users, rooms, refs) kept as one store blob, one name per line. */
final class BlobLists {
    private BlobLists() {
    }

    static List<String> get(ClientStore.Tx tx, String key) {
        List<String> out = new ArrayList<>();
        tx.blob(key).ifPresent(b -> {
            for (String s : new String(b.toByteArray(), StandardCharsets.UTF_8).split("\n")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        });
        return out;
    }

    static void put(ClientStore.Tx tx, String key, List<String> values) {
        if (values.isEmpty()) {
            tx.deleteBlob(key);
            return;
        }
        tx.putBlob(key, Bytes.wrap((String.join("\n", values) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Adds {@code value} unless present; true if added. */
    static boolean add(ClientStore.Tx tx, String key, String value) {
        List<String> l = get(tx, key);
        if (l.contains(value)) {
            return false;
        }
        l.add(value);
        put(tx, key, l);
        return true;
    }

    /** Removes {@code value}; true if it was there. */
    static boolean remove(ClientStore.Tx tx, String key, String value) {
        List<String> l = get(tx, key);
        if (!l.remove(value)) {
            return false;
        }
        put(tx, key, l);
        return true;
    }
}
