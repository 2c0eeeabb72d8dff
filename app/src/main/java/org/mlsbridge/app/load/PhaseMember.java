package org.mlsbridge.app.load;

import java.time.Duration;

/** One member in one phase, driven by its {@link MemberLoop} on its own thread only. */
interface PhaseMember extends AutoCloseable {
    /** Hands message {@code k} to the network (plain) or the MLS client (MLS). */
    void send(int k) throws Exception;

    /** Handles what arrived (waiting up to {@code wait}), reporting every load message read to the tally. */
    int step(Duration wait) throws Exception;

    /** From now on the messages sent and read are those of {@code tally} (a phase's warm-up, then its measured ones). */
    void countInto(Tally tally);

    /** How many members this one sees (for MLS: in its group); traffic starts when all see all. */
    int membersSeen() throws Exception;

    /** Messages this member could not decrypt so far (0 on the plain path). */
    long undecryptable();

    @Override
    void close();
}
