package org.mlsbridge.mls.group;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;

/**
 * Writes real encoded group states of N-member groups (one Add commit bringing in N-1 members,
 * then commits with a path until the past-epoch window is full) for the storage benchmark in
 * bridge-core, and times {@link GroupStateCodec} at each size. Not a test: run by hand,
 * see docs/performance.md. Args: OUT_DIR N...
 */
public final class GroupStateSampleWriter {
    private GroupStateSampleWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (int a = 1; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            long t0 = System.nanoTime();
            TestCommitter.Identity alice = TestCommitter.identity("alice");
            GroupState s = TestCommitter.create(alice, Bytes.wrap(("bench-" + n).getBytes(StandardCharsets.US_ASCII)));
            List<ProposalOrRef> adds = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                adds.add(TestCommitter.byValue(new Proposal.Add(TestCommitter.identity("m" + i).bundle().keyPackage())));
            }
            s = TestCommitter.commit(s, adds, false, x -> x).next();
            byte[] previous = null;
            for (int e = 0; e <= GroupConfig.DEFAULT_PAST_EPOCHS; e++) {
                previous = GroupStateCodec.encode(s);
                s = TestCommitter.commit(s, List.of()).next();
            }
            byte[] current = GroupStateCodec.encode(s);
            Files.write(out.resolve("state-" + n + "-a.bin"), previous);
            Files.write(out.resolve("state-" + n + "-b.bin"), current);
            long[] enc = new long[9];
            long[] dec = new long[9];
            for (int r = 0; r < enc.length; r++) {
                long t = System.nanoTime();
                GroupStateCodec.encode(s);
                enc[r] = System.nanoTime() - t;
                t = System.nanoTime();
                GroupStateCodec.decode(current, GroupConfig.DEFAULT);
                dec[r] = System.nanoTime() - t;
            }
            Arrays.sort(enc);
            Arrays.sort(dec);
            System.out.printf("members %d: state %d bytes (previous epoch %d), encode median %.2f ms, decode median %.2f ms"
                    + " (built in %.1f s)%n", n, current.length, previous.length, enc[4] / 1e6, dec[4] / 1e6,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
