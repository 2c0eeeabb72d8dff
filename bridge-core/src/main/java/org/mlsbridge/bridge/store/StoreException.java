package org.mlsbridge.bridge.store;

import org.mlsbridge.mls.storage.StorageException;

/**
 * The SQLite store cannot be used: its key, its file or a row is not what it must be. The
 * {@link #kind()} says which, so the application can explain it (and choose an exit code)
 * without parsing messages. Messages name the file or row but never contain a secret.
 */
public final class StoreException extends StorageException {
    /** What went wrong, from the operator's point of view. */
    public enum Kind {
        /** The key-encryption key could not be loaded (missing, unreadable, malformed). */
        KEY_UNAVAILABLE,
        /** The key-encryption key is well formed but is not the one this database was created with. */
        WRONG_KEY,
        /** The database was written by a newer version of mlsbridge (a schema this build does not know). */
        NEWER_SCHEMA,
        /** The file is not an SQLite database, or an SQLite database that is not an mlsbridge store. */
        NOT_A_STORE,
        /** The file is an mlsbridge store but damaged: truncated, corrupt pages, or a row that fails authentication. */
        CORRUPT,
        /** The database or the file system failed while working (I/O error, disk full, locked). */
        IO
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
