package org.mlsbridge.mls.storage;

/** A unit of storage work for {@link MlsStorage#atomically}; may throw the caller's checked exception. */
@FunctionalInterface
public interface StorageWork<T, E extends Exception> {
    T run() throws E;
}
