package org.mlsbridge.app.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.mlsbridge.bridge.transport.UserId;

/**
 * {@code mlsbridge load --trace FILE}: one CSV row per measured message of both phases, with the
 * wall-clock time of its send and the milliseconds after it at which it passed each stage of its
 * way ({@link PathTrace#STAGES}). The report's percentiles say how slow the slowest messages were;
 * this says when they were sent and where they waited, so a cluster of slow messages can be laid
 * beside a server's own log (a pause of one server shows as every stage through it slow at once).
 */
final class TraceFile {
    static final String HEADER = "phase,message,sender,sender_network,last_reader,last_reader_network,readers,"
            + "sent_utc,posted_ms,relay_polled_ms,relay_posted_ms,reader_polled_ms,read_ms";

    private TraceFile() {
    }

    /**
     * Writes both phases, plain first as in the printed report. The monotonic send times are turned
     * into wall-clock times against one reading of both clocks, taken now.
     */
    static void write(Path file, LoadReport report) throws IOException {
        Instant wallNow = Instant.now();
        long nanoNow = System.nanoTime();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.newLine();
            for (PhaseResult p : List.of(report.plain(), report.mls())) {
                for (PathTrace.Way w : p.ways()) {
                    out.write(row(p.name(), w, wallNow.minusNanos(nanoNow - w.sentNanos())));
                    out.newLine();
                }
            }
        }
    }

    static String row(String phase, PathTrace.Way w, Instant sent) {
        boolean read = w.lastReader() != null;
        return String.join(",", phase, Integer.toString(w.message()), w.sender().value(), network(w.sender()),
                read ? w.lastReader().value() : "", read ? network(w.lastReader()) : "", Integer.toString(w.readers()),
                sent.truncatedTo(ChronoUnit.MILLIS).toString(), ms(w.posted()), ms(w.relayPolled()),
                ms(w.relayPosted()), ms(w.readerPolled()), ms(w.read()));
    }

    private static String network(UserId u) {
        return u.network().name().toLowerCase(Locale.ROOT);
    }

    /** Milliseconds with one decimal; empty for a stage not seen. */
    private static String ms(long nanos) {
        return nanos < 0 ? "" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
