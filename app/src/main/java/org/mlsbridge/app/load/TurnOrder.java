package org.mlsbridge.app.load;

import java.util.SplittableRandom;

/**
 * Which phase sends first in each pair of blocks, drawn from a seed (printed with the report, so a
 * run's order can be repeated with {@code --seed}).
 *
 * <p>A fixed pattern (MLS, plain, plain, MLS, ...) repeats every four blocks, about three minutes
 * at the default sizes, and a server's periodic pause can fall into step with it: Synapse's full
 * garbage collections came every 153–160 s in runs whose pattern repeated every 176 s, so for
 * several cycles in a row each one drifted a little and landed in the same phase (four of five in
 * MLS blocks). Drawn at random, the phase running at any moment is independent of every clock
 * the servers keep, so such pauses split between the phases by chance alone.
 */
record TurnOrder(long seed) {
    /** A fresh seed. */
    static TurnOrder random() {
        return new TurnOrder(new java.security.SecureRandom().nextLong());
    }

    /** For pairs 0 .. {@code pairs - 1}: whether the MLS phase's block runs first. */
    boolean[] mlsFirst(int pairs) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] out = new boolean[pairs];
        for (int i = 0; i < pairs; i++) {
            out[i] = r.nextBoolean();
        }
        return out;
    }

    /** The order as letters, M for an MLS block and P for a plain one. */
    String letters(int pairs) {
        StringBuilder b = new StringBuilder();
        for (boolean m : mlsFirst(pairs)) {
            b.append(m ? "MP" : "PM");
        }
        return b.toString();
    }
}
