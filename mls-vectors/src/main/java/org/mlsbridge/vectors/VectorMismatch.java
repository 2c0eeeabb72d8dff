package org.mlsbridge.vectors;

/** A computed value differs from the one the vector expects. */
public final class VectorMismatch extends AssertionError {
    public VectorMismatch(String message) {
        super(message);
    }
}
