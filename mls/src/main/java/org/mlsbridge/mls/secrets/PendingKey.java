package org.mlsbridge.mls.secrets;

import org.mlsbridge.mls.ValidationException;

/**
 * The key for an incoming message, derived but not yet consumed. Decrypt (and verify) with
 * {@link #key()}, then {@link #commit()} to mark the generation used; on failure {@link #close()}
 * (or {@link #discard()}) leaves the ratchet exactly as it was, so a forged or corrupted message
 * cannot burn a key or move the ratchet. Use with try-with-resources:
 *
 * <pre>{@code
 * try (PendingKey k = tree.stageKey(leaf, kind, generation)) {
 *     byte[] plain = open(k.key(), ...);   // throws on a bad message: nothing consumed
 *     k.commit();
 * }
 * }</pre>
 */
public final class PendingKey implements AutoCloseable {
    private final HashRatchet ratchet;
    private final HashRatchet.Staged staged;
    private boolean finished;

    PendingKey(HashRatchet ratchet, HashRatchet.Staged staged) {
        this.ratchet = ratchet;
        this.staged = staged;
    }

    public long generation() {
        return staged.key().generation();
    }

    /** The key and nonce; wiped by {@link #commit()}, {@link #discard()} and {@link #close()}. */
    public RatchetKey key() {
        if (finished) {
            throw new IllegalStateException("pending key was already committed or discarded");
        }
        return staged.key();
    }

    /**
     * Consumes the generation: from now on it is rejected as a replay. Fails if the generation
     * was consumed since it was staged.
     */
    public void commit() throws ValidationException {
        if (finished) {
            throw new IllegalStateException("pending key was already committed or discarded");
        }
        finished = true;
        try {
            ratchet.commit(staged);
        } catch (ValidationException | RuntimeException e) {
            staged.discard();
            throw e;
        }
        // The ratchet took ownership of the skipped keys and the next secret; only the message key is ours.
        staged.key().destroy();
    }

    /** Forgets the derivation; the ratchet is unchanged. */
    public void discard() {
        if (!finished) {
            finished = true;
            staged.discard();
        }
    }

    /** Same as {@link #discard()} when not committed; nothing after a commit. */
    @Override
    public void close() {
        discard();
    }
}
