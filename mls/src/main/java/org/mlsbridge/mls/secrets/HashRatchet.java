package org.mlsbridge.mls.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/**
 * One hash ratchet of RFC 9420 §9.1: ratchet_secret[j] yields the key and nonce of generation j
 * and ratchet_secret[j+1], after which it is destroyed (§9.2). Keys of generations that were
 * jumped over are retained inside the configured window, so late messages can still be read.
 *
 * <p>Receiving is two-phase ({@link #stage} then {@link #commit}) so that a message that fails
 * to decrypt or verify leaves the ratchet exactly as it was. Not thread-safe: a group's state is
 * confined to one thread at a time.
 */
final class HashRatchet {
    /** Generations are uint32 on the wire (SenderData, §6.3.2). */
    static final long MAX_GENERATION = 0xFFFFFFFFL;

    private final SuiteCrypto crypto;
    private final SecretTreeConfig config;
    private final String name;
    /** ratchet_secret for generation {@link #next}. */
    private Secret secret;
    private long next;
    private final TreeMap<Long, RatchetKey> retained = new TreeMap<>();

    HashRatchet(SuiteCrypto crypto, Secret initial, SecretTreeConfig config, String name) {
        this.crypto = crypto;
        this.secret = initial;
        this.config = config;
        this.name = name;
    }

    /** The generation the next {@link #advance()} returns. */
    long nextGeneration() {
        return next;
    }

    int retainedCount() {
        return retained.size();
    }

    /** Sending: the key of the next generation; the ratchet moves past it and keeps nothing of it. */
    RatchetKey advance() {
        if (next > MAX_GENERATION) {
            throw new IllegalStateException("RFC 9420 §6.3.2: " + name + " has used all 2^32 generations;"
                    + " a commit must start a new epoch");
        }
        Step s = step(secret, next);
        secret.destroy();
        secret = s.nextSecret();
        next++;
        return s.key();
    }

    /** A staged receive: holds the derived key; the ratchet changes only on {@link #commit}. */
    sealed interface Staged permits FromWindow, Forward {
        RatchetKey key();

        /** Wipes everything the stage derived. */
        void discard();
    }

    /** A generation behind the ratchet whose key was retained; {@code key} is a copy. */
    record FromWindow(RatchetKey key) implements Staged {
        @Override
        public void discard() {
            key.destroy();
        }
    }

    /**
     * A generation at or ahead of the ratchet: {@code skipped} are the keys to retain for the
     * generations jumped over, {@code nextSecret} the ratchet secret after {@code key}.
     */
    record Forward(long base, RatchetKey key, List<RatchetKey> skipped, Secret nextSecret) implements Staged {
        @Override
        public void discard() {
            key.destroy();
            skipped.forEach(RatchetKey::destroy);
            nextSecret.destroy();
        }
    }

    /** Derives the key of {@code generation} for an incoming message without changing the ratchet. */
    Staged stage(long generation) throws ValidationException {
        if (generation < 0 || generation > MAX_GENERATION) {
            throw new ValidationException("RFC 9420 §6.3.2: generation " + generation + " is not a uint32");
        }
        if (generation < next) {
            RatchetKey kept = retained.get(generation);
            if (kept != null) {
                return new FromWindow(kept.copy());
            }
            long newest = next - 1;
            if (generation < newest - config.outOfOrderWindow()) {
                throw new ValidationException(FailureReason.TOO_OLD,
                        "RFC 9420 §9.2: generation " + generation + " of " + name
                        + " is too old (newest " + newest + ", window " + config.outOfOrderWindow()
                        + "); its key was deleted");
            }
            throw new ValidationException(FailureReason.REPLAY,
                    "RFC 9420 §9.2: generation " + generation + " of " + name
                    + " was already used (replay); its key was deleted");
        }
        long skip = generation - next;
        if (skip > config.maxForwardSkip()) {
            throw new ValidationException(FailureReason.TOO_FAR_AHEAD,
                    "RFC 9420 §9.2: generation " + generation + " of "
                    + name + " would skip " + skip + " generations (at " + next + ", limit "
                    + config.maxForwardSkip() + ")");
        }
        List<RatchetKey> skipped = new ArrayList<>();
        Secret current = secret;
        for (long j = next; j < generation; j++) {
            Step s = step(current, j);
            if (j >= generation - config.outOfOrderWindow()) {
                skipped.add(s.key());
            } else {
                s.key().destroy();
            }
            if (current != secret) {
                current.destroy();
            }
            current = s.nextSecret();
        }
        Step target = step(current, generation);
        if (current != secret) {
            current.destroy();
        }
        return new Forward(next, target.key(), skipped, target.nextSecret());
    }

    /**
     * Marks the staged generation as used: its key is deleted for good, skipped keys are retained.
     * If the ratchet moved since staging (another message was committed), the stage is redone
     * against the current state, which also catches a second use of the same generation.
     */
    void commit(Staged staged) throws ValidationException {
        switch (staged) {
            case FromWindow w -> {
                RatchetKey kept = retained.remove(w.key().generation());
                if (kept == null) {
                    throw new ValidationException(FailureReason.REPLAY,
                            "RFC 9420 §9.2: generation " + w.key().generation() + " of "
                            + name + " was already used (replay); its key was deleted");
                }
                kept.destroy();
            }
            case Forward f -> {
                if (f.base() != next) {
                    f.skipped().forEach(RatchetKey::destroy);
                    f.nextSecret().destroy();
                    Staged again = stage(f.key().generation());
                    try {
                        commit(again);
                    } finally {
                        again.key().destroy();
                    }
                    return;
                }
                secret.destroy();
                secret = f.nextSecret();
                next = f.key().generation() + 1;
                for (RatchetKey k : f.skipped()) {
                    retained.put(k.generation(), k);
                }
                evict();
            }
        }
    }

    private void evict() {
        long oldestKept = next - 1 - config.outOfOrderWindow();
        while (!retained.isEmpty() && retained.firstKey() < oldestKept) {
            Map.Entry<Long, RatchetKey> e = retained.pollFirstEntry();
            e.getValue().destroy();
        }
    }

    void destroy() {
        secret.destroy();
        retained.values().forEach(RatchetKey::destroy);
        retained.clear();
    }

    // ---- storage ------------------------------------------------------------------------------

    /** The ratchet's secret, position and retained keys, for {@link SecretTree#writeTo}. */
    void writeTo(TlsWriter w) {
        writeSecret(w, secret);
        w.uint64(next);
        w.vector(retained.values(), (ww, k) -> {
            ww.uint32(k.generation());
            writeSecret(ww, k.key());
            writeSecret(ww, k.nonce());
        });
    }

    static HashRatchet readFrom(TlsReader r, SuiteCrypto crypto, SecretTreeConfig config, String name)
            throws DecodeException {
        Secret secret = readSecret(r, crypto.hashLength(), "ratchet secret");
        HashRatchet ratchet = new HashRatchet(crypto, secret, config, name);
        ratchet.next = r.uint64();
        if (ratchet.next < 0 || ratchet.next > MAX_GENERATION + 1) {
            throw new DecodeException("ratchet generation out of range: " + ratchet.next);
        }
        List<RatchetKey> keys = r.vector(rr -> new RatchetKey(rr.uint32(),
                readSecret(rr, crypto.aeadKeyLength(), "retained key"),
                readSecret(rr, crypto.aeadNonceLength(), "retained nonce")));
        for (RatchetKey k : keys) {
            if (k.generation() >= ratchet.next || ratchet.retained.put(k.generation(), k) != null) {
                throw new DecodeException("retained generation " + k.generation() + " is invalid");
            }
        }
        return ratchet;
    }

    static void writeSecret(TlsWriter w, Secret s) {
        byte[] v = s.copy();
        w.opaque(v);
        java.util.Arrays.fill(v, (byte) 0);
    }

    static Secret readSecret(TlsReader r, int length, String what) throws DecodeException {
        byte[] v = r.opaqueArray();
        if (v.length != length) {
            throw new DecodeException(what + " must be " + length + " bytes, got " + v.length);
        }
        return Secret.wrap(v);
    }

    private record Step(RatchetKey key, Secret nextSecret) {
    }

    private Step step(Secret current, long generation) {
        Secret key = Kdf.deriveTreeSecret(crypto, current, "key", generation, crypto.aeadKeyLength());
        Secret nonce = Kdf.deriveTreeSecret(crypto, current, "nonce", generation, crypto.aeadNonceLength());
        Secret following = Kdf.deriveTreeSecret(crypto, current, "secret", generation, crypto.hashLength());
        return new Step(new RatchetKey(generation, key, nonce), following);
    }
}
