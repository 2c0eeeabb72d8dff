package org.mlsbridge.mls.storage;

/**
 * A storage backend failed (I/O, database) or returned data that does not decode. Unchecked:
 * it is neither a peer's fault nor something the protocol layer can recover from.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
