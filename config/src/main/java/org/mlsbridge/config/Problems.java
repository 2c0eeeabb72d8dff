package org.mlsbridge.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one validation run, so that all are reported at once. */
final class Problems {
    private final List<Problem> list = new ArrayList<>();

    void add(String key, String problem, String fix) {
        list.add(new Problem(key, problem, fix));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    List<Problem> list() {
        return List.copyOf(list);
    }
}
