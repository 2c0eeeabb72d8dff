package org.mlsbridge.xmpp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * What an XMPP room message costs by its form, without MLS: one sender and a room of readers on
 * a private Prosody, each reader a connection of its own polling on a thread of its own, as the
 * load run's members do. Messages alternate between the two forms the transport sends (an MLS
 * payload of the size a 100-byte text encrypts to, and a 100-byte plain body), one at a time,
 * each after the previous reached every reader. Prints, per form, the send call (until Prosody's
 * reflection comes back) and the time until the last reader's poll returned it, and Prosody's CPU
 * per message, measured over blocks of one form.
 *
 * <pre>
 * java -cp ... org.mlsbridge.xmpp.XmppSendCostBench [messages per form] [readers]
 * </pre>
 */
public final class XmppSendCostBench {
    /** A 100-byte text as a PrivateMessage with a 16-byte group id (see docs/performance.md). */
    private static final int MLS_PAYLOAD_BYTES = 246;
    private static final int TEXT_BYTES = 100;
    private static final int WARM_UP = 100;
    private static final int BLOCK = 25;

    private enum Form {
        MLS, PLAIN
    }

    private XmppSendCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int perForm = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        try (XmppFixture f = new XmppFixture()) {
            XmppTransport sender = f.connect(f.newUser("sender"));
            RoomId room = f.newRoom(sender);
            List<XmppTransport> readerConnections = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                String user = f.newUser("reader");
                sender.admin().grantMembership(room, XmppFixture.userId(user));
                XmppTransport t = f.connect(user);
                t.join(room);
                readerConnections.add(t);
            }
            int total = WARM_UP + 2 * perForm;
            AtomicLongArray lastRead = new AtomicLongArray(total);
            AtomicIntegerArray readCount = new AtomicIntegerArray(total);
            List<Thread> threads = new ArrayList<>();
            for (XmppTransport t : readerConnections) {
                Thread th = Thread.ofPlatform().daemon().start(() -> read(t, lastRead, readCount));
                threads.add(th);
            }
            long pid = f.server.process().orElseThrow().pid();
            SecureRandom random = new SecureRandom();
            long[][] sendNs = new long[2][perForm];
            long[][] lastNs = new long[2][perForm];
            long[] prosodyTicks = new long[2];
            int[] done = new int[2];
            long blockStartTicks = 0;
            for (int k = 0; k < total; k++) {
                boolean warm = k < WARM_UP;
                Form form = ((k - (warm ? 0 : WARM_UP)) / BLOCK) % 2 == 0 ? Form.MLS : Form.PLAIN;
                if (!warm && (k - WARM_UP) % BLOCK == 0) {
                    blockStartTicks = cpuTicks(pid);
                }
                long t0 = System.nanoTime();
                send(sender, room, form, k, random);
                long sent = System.nanoTime() - t0;
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (readCount.get(k) < readers) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("message " + k + " did not reach every reader");
                    }
                    Thread.sleep(0, 200_000);
                }
                if (!warm) {
                    int i = form.ordinal();
                    sendNs[i][done[i]] = sent;
                    lastNs[i][done[i]] = lastRead.get(k) - t0;
                    done[i]++;
                    if ((k - WARM_UP) % BLOCK == BLOCK - 1) {
                        prosodyTicks[i] += cpuTicks(pid) - blockStartTicks;
                    }
                }
                Thread.sleep(30);
            }
            for (Form form : Form.values()) {
                int i = form.ordinal();
                System.out.printf("%-6s send call p50 %6.2f p90 %6.2f ms; to last of %d readers p50 %6.2f p90 %6.2f"
                        + " p99 %6.2f ms; Prosody CPU %.2f ms/message%n", form, pct(sendNs[i], done[i], 50),
                        pct(sendNs[i], done[i], 90), readers, pct(lastNs[i], done[i], 50), pct(lastNs[i], done[i], 90),
                        pct(lastNs[i], done[i], 99), prosodyTicks[i] * 10.0 / done[i]);
            }
            threads.forEach(Thread::interrupt);
        }
    }

    /** Message {@code k} in {@code form}, its number at the start so readers can tell which it is. */
    private static void send(XmppTransport sender, RoomId room, Form form, int k, SecureRandom random)
            throws Exception {
        if (form == Form.MLS) {
            byte[] p = new byte[MLS_PAYLOAD_BYTES];
            random.nextBytes(p);
            ByteBuffer.wrap(p).putInt(k);
            sender.sendToRoom(room, new ClientMessageId("b" + k), Bytes.of(p));
        } else {
            String text = String.format("%08d", k) + "x".repeat(TEXT_BYTES - 8);
            sender.sendTextToRoom(room, new ClientMessageId("b" + k), text);
        }
    }

    private static void read(XmppTransport t, AtomicLongArray lastRead, AtomicIntegerArray readCount) {
        Optional<Cursor> cursor = Optional.empty();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<Delivery> batch = t.poll(cursor, 500, Duration.ofMillis(500));
                long now = System.nanoTime();
                for (Delivery d : batch) {
                    int k = switch (d.event()) {
                        case RoomEvent.RoomMessage m -> ByteBuffer.wrap(m.payload().toByteArray()).getInt();
                        case RoomEvent.PlainMessage m -> Integer.parseInt(m.text().substring(0, 8));
                        default -> -1;
                    };
                    if (k >= 0 && k < lastRead.length()) {
                        lastRead.accumulateAndGet(k, now, Math::max);
                        readCount.incrementAndGet(k);
                    }
                }
                if (!batch.isEmpty()) {
                    cursor = Optional.of(batch.get(batch.size() - 1).cursor());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** User and system CPU of a process in clock ticks (10 ms each on Linux). */
    private static long cpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double pct(long[] values, int n, int p) {
        long[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return v[Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1)] / 1e6;
    }
}
