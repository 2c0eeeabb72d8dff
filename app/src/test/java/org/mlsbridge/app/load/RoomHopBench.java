package org.mlsbridge.app.load;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.servers.LocalProsody;
import org.mlsbridge.servers.LocalServers;
import org.mlsbridge.servers.LocalSynapse;

/**
 * One hop through each server, without MLS, by payload size: a sender and a room of readers on a
 * private Prosody and a private Synapse, each reader a connection of its own polling on a thread of
 * its own, as the load run's members do. Messages go one at a time (the next 30 ms after every
 * reader has the last), in blocks of {@value #BLOCK} of each size in turn; both sizes use the
 * transport's MLS message form, as both load phases do. The default sizes are those of the load
 * run: a 100-byte text as a PrivateMessage (246 bytes) and the plain phase's 100 bytes. Prints,
 * per network and size, the send call (until the server answered it: the room's reflection on
 * XMPP, the PUT's response on Matrix), the time until the last reader's poll returned it, and the
 * server's CPU per message.
 *
 * <pre>
 * java -Dmlsbridge.home=. -cp app/target/test-classes:app/target/mlsbridge.jar org.mlsbridge.app.load.RoomHopBench \
 *     [messages per size] [readers] [size,size,...]
 * </pre>
 */
public final class RoomHopBench {
    private static final int WARM_UP = 100;
    private static final int BLOCK = 25;
    private static final String PASSWORD = "room-hop-bench";

    private RoomHopBench() {
    }

    public static void main(String[] args) throws Exception {
        int perSize = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        int[] sizes = Arrays.stream((args.length > 2 ? args[2] : "246,100").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        String run = "hop" + Long.toString(new SecureRandom().nextInt(1 << 30), 36);
        try (LocalServers s = LocalServers.start()) {
            LoadNetwork xmpp = new XmppLoadNetwork("127.0.0.1", s.prosody().port(), LocalProsody.DOMAIN,
                    LocalProsody.MUC, false, PASSWORD, (user, password) -> s.prosody().register(user, password));
            LoadNetwork matrix = new MatrixLoadNetwork(s.synapse().url(), LocalSynapse.SERVER_NAME, PASSWORD,
                    (user, password) -> s.synapse().register(user, password));
            try {
                measure("XMPP", xmpp, "Prosody", s.prosody().process(), run + "x", perSize, readers, sizes);
                measure("Matrix", matrix, "Synapse", s.synapse().process(), run + "m", perSize, readers, sizes);
            } finally {
                // the Matrix connector's event loop threads would keep the JVM alive
                xmpp.close();
                matrix.close();
            }
        }
    }

    private static void measure(String label, LoadNetwork network, String server, Optional<ProcessHandle> process,
            String prefix, int perSize, int readers, int[] sizes) throws Exception {
        Transport sender = network.connect(network.register(prefix + "s"));
        RoomId room = network.createRoom(sender, prefix + "room");
        List<Transport> readerConnections = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            UserId u = network.register(prefix + "r" + i);
            network.admit(sender, room, u);
            Transport t = network.connect(u);
            network.enter(t, room);
            readerConnections.add(t);
        }
        int total = WARM_UP + sizes.length * perSize;
        AtomicLongArray lastRead = new AtomicLongArray(total);
        AtomicIntegerArray readCount = new AtomicIntegerArray(total);
        List<Thread> threads = new ArrayList<>();
        for (Transport t : readerConnections) {
            threads.add(Thread.ofPlatform().daemon().start(() -> read(t, room, lastRead, readCount)));
        }
        CpuMeter cpu = CpuMeter.of(Map.of(server, process));
        SecureRandom random = new SecureRandom();
        long[][] sendNs = new long[sizes.length][perSize];
        long[][] lastNs = new long[sizes.length][perSize];
        double[] serverMs = new double[sizes.length];
        int[] done = new int[sizes.length];
        Map<String, Duration> blockStart = Map.of();
        for (int k = 0; k < total; k++) {
            boolean warm = k < WARM_UP;
            int form = ((warm ? k : k - WARM_UP) / BLOCK) % sizes.length;
            if (!warm && (k - WARM_UP) % BLOCK == 0) {
                blockStart = cpu.used();
            }
            byte[] payload = new byte[sizes[form]];
            random.nextBytes(payload);
            ByteBuffer.wrap(payload).putInt(k);
            long t0 = System.nanoTime();
            sender.sendToRoom(room, new ClientMessageId(prefix + "-" + k), Bytes.of(payload));
            long sent = System.nanoTime() - t0;
            awaitAll(readCount, k, readers);
            if (!warm) {
                sendNs[form][done[form]] = sent;
                lastNs[form][done[form]] = lastRead.get(k) - t0;
                done[form]++;
                if ((k - WARM_UP) % BLOCK == BLOCK - 1) {
                    serverMs[form] += CpuMeter.between(blockStart, cpu.used()).get(server).toNanos() / 1e6;
                }
            }
            Thread.sleep(30);
        }
        for (int f = 0; f < sizes.length; f++) {
            System.out.printf("%-6s %4d-byte payload: send call p50 %6.2f p90 %6.2f ms; last of %d readers p50 %6.2f"
                    + " p90 %6.2f p99 %6.2f ms; %s CPU %.2f ms/message%n", label, sizes[f],
                    pct(sendNs[f], done[f], 50), pct(sendNs[f], done[f], 90), readers, pct(lastNs[f], done[f], 50),
                    pct(lastNs[f], done[f], 90), pct(lastNs[f], done[f], 99), server, serverMs[f] / done[f]);
        }
        threads.forEach(Thread::interrupt);
        sender.close();
        for (Transport t : readerConnections) {
            t.close();
        }
    }

    private static void awaitAll(AtomicIntegerArray readCount, int k, int readers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (readCount.get(k) < readers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("message " + k + " reached " + readCount.get(k) + " of " + readers
                        + " readers");
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static void read(Transport t, RoomId room, AtomicLongArray lastRead, AtomicIntegerArray readCount) {
        Optional<Cursor> cursor = Optional.empty();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<Delivery> batch = t.poll(cursor, 500, Duration.ofMillis(500));
                long now = System.nanoTime();
                for (Delivery d : batch) {
                    if (d.event() instanceof RoomEvent.RoomMessage m && m.room().equals(room)
                            && !m.sender().equals(t.self())) {
                        int k = ByteBuffer.wrap(m.payload().toByteArray()).getInt();
                        if (k >= 0 && k < lastRead.length()) {
                            lastRead.accumulateAndGet(k, now, Math::max);
                            readCount.incrementAndGet(k);
                        }
                    }
                }
                if (!batch.isEmpty()) {
                    cursor = Optional.of(batch.get(batch.size() - 1).cursor());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static double pct(long[] values, int n, int p) {
        long[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return v[Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1)] / 1e6;
    }
}
