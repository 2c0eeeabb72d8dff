package org.mlsbridge.mls.framing;

/**
 * How many zero bytes to append to a PrivateMessageContent (RFC 9420 §6.3.1), to hide the exact
 * length of what is sent. Padding costs bandwidth; its benefit grows with the block size.
 */
@FunctionalInterface
public interface PaddingPolicy {
    /** The number of padding bytes for a plaintext of {@code unpaddedLength} bytes; never negative. */
    int paddingFor(int unpaddedLength);

    /** No padding at all. */
    static PaddingPolicy none() {
        return length -> 0;
    }

    /** Pads the plaintext (content, auth and padding) up to the next multiple of {@code blockSize}. */
    static PaddingPolicy toMultipleOf(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be positive, got " + blockSize);
        }
        return length -> {
            int rem = length % blockSize;
            return rem == 0 ? 0 : blockSize - rem;
        };
    }
}
