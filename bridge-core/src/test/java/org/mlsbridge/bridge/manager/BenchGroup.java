package org.mlsbridge.bridge.manager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The group the read benches measure: a sender and {@value #READERS} readers, each a member
 * client on its own SQLite store in a temporary folder (deleted afterwards), over the in-memory
 * network, all joined before the work starts.
 */
final class BenchGroup {
    static final int READERS = 19;

    @FunctionalInterface
    interface Work {
        void run(MemberClient sender, List<MemberClient> readers) throws Exception;
    }

    private BenchGroup() {
    }

    static void run(String folderPrefix, Work work) throws Exception {
        Path dir = Files.createTempDirectory(folderPrefix);
        try (Harness h = new Harness(dir)) {
            MemberClient sender = h.creator("alice");
            List<MemberClient> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                MemberClient c = h.member("m" + i);
                h.net.join(Harness.ROOM, c.self());
                readers.add(c);
            }
            h.settle();
            h.drainReceived();
            if (sender.groupMembers(Harness.ROOM).size() != READERS + 1) {
                throw new IllegalStateException("not everyone joined the group");
            }
            work.run(sender, readers);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
