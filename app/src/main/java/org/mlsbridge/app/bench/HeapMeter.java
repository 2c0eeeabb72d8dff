package org.mlsbridge.app.bench;

import java.lang.ref.Reference;
import java.util.concurrent.Callable;

/**
 * Retained heap of one object graph: used heap after full collections, with and without it.
 * Approximate (a few hundred KiB of noise), which is fine for states of megabytes.
 */
final class HeapMeter {
    private HeapMeter() {
    }

    static long retainedBytes(Callable<Object> make) throws Exception {
        long before = usedAfterGc();
        Object held = make.call();
        long after = usedAfterGc();
        Reference.reachabilityFence(held);
        return Math.max(0, after - before);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(30);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
