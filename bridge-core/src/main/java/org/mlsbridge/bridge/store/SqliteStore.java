package org.mlsbridge.bridge.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.mlsbridge.bridge.store.StoreException.Kind;
import org.mlsbridge.mls.storage.MlsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The durable, encrypted state of one bridge or client: one SQLite file (WAL mode, created 0600),
 * secrets sealed under a {@link KeyEncryptionKey}, schema migrated at open.
 *
 * <p>Threading: one JDBC connection per store, used by one thread at a time. {@link #transaction}
 * serialises callers on this store's own lock (no global lock; two stores never wait for each
 * other) and holds it for the whole transaction, so keep transactions short and do no network
 * I/O inside them. Calls block on disk I/O (each commit is synced: {@code synchronous=FULL}), so
 * call from virtual threads or a dedicated thread, not from an event loop. The lock is a
 * {@link ReentrantLock}, not {@code synchronized}, so a waiting virtual thread does not pin its
 * carrier. A second store on the same file, in this process or another, is refused (lock file).
 *
 * <p>Opening checks, in this order and before anything is written: the file header, SQLite's
 * quick_check, that it is an mlsbridge store of a schema this build knows, and that the key opens
 * the stored check value. Any failure is a {@link StoreException} and leaves the file as it was.
 */
public final class SqliteStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    static final String KEY_CHECK_PLAINTEXT = "mlsbridge key check v1";

    /** Work done in a transaction that yields a value. */
    @FunctionalInterface
    public interface TransactionWork<T, E extends Exception> {
        T run(StoreTransaction tx) throws E;
    }

    /** Work done in a transaction. */
    @FunctionalInterface
    public interface TransactionAction<E extends Exception> {
        void run(StoreTransaction tx) throws E;
    }

    private final Path file;
    private final Connection connection;
    private final StatementCache statements;
    private final RowCipher cipher;
    private final ContentChunker chunker;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final ReentrantLock lock = new ReentrantLock();
    private final OutboxWatch outboxWatch = new OutboxWatch();
    private boolean unsyncedCommits;
    private final int schemaVersion;
    private boolean closed;
    /** The running transaction, touched only by the thread holding {@link #lock}. */
    private Sql active;

    private SqliteStore(Path file, Connection connection, StatementCache statements, RowCipher cipher, ContentChunker chunker, Clock clock,
                        FileChannel lockChannel, FileLock fileLock, int schemaVersion) {
        this.file = file;
        this.connection = connection;
        this.statements = statements;
        this.cipher = cipher;
        this.chunker = chunker;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.schemaVersion = schemaVersion;
    }

    /** Opens (creating if absent) the store in {@code file}. */
    public static SqliteStore open(Path file, KeyEncryptionKey kek) {
        return open(file, kek, Clock.systemUTC());
    }

    public static SqliteStore open(Path file, KeyEncryptionKey kek, Clock clock) {
        Objects.requireNonNull(kek, "kek");
        Objects.requireNonNull(clock, "clock");
        Path db = file.toAbsolutePath();
        Path dir = db.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StoreException(Kind.IO, "folder of database " + db + " does not exist");
        }
        FileChannel lockChannel = null;
        FileLock fileLock = null;
        Connection connection = null;
        try {
            lockChannel = openLockFile(db);
            fileLock = lockFile(lockChannel, db);
            if (Files.exists(db)) {
                if (!Files.isRegularFile(db)) {
                    throw new StoreException(Kind.NOT_A_STORE, db + " is not a regular file");
                }
                if (Files.size(db) == 0) {
                    OwnerOnlyFiles.restrict(db); // never initialised: we are creating it now
                } else if (OwnerOnlyFiles.othersHaveAccess(db)) {
                    LOG.warn("database {} is accessible to group or others; restrict it with chmod 600", db);
                }
                DatabaseFileCheck.check(db);
            } else {
                OwnerOnlyFiles.create(db);
                OwnerOnlyFiles.syncDirectory(dir);
            }
            connection = connect(db);
            RowCipher cipher = new RowCipher(kek, new SecureRandom());
            ContentChunker chunker = new ContentChunker(kek);
            StatementCache statements = new StatementCache(connection);
            int version = prepare(connection, db, new Sql(statements, cipher, chunker, clock), kek);
            SqliteStore store = new SqliteStore(db, connection, statements, cipher, chunker, clock, lockChannel, fileLock, version);
            LOG.info("opened store {} (schema version {}, key id {})", db, version, kek.keyId());
            return store;
        } catch (RuntimeException e) {
            closeQuietly(connection, fileLock, lockChannel);
            throw e;
        } catch (IOException e) {
            closeQuietly(connection, fileLock, lockChannel);
            throw new StoreException(Kind.IO, "cannot open database " + db + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel openLockFile(Path db) throws IOException {
        Path lockPath = db.resolveSibling(db.getFileName() + ".lock");
        if (!Files.exists(lockPath)) {
            try {
                OwnerOnlyFiles.create(lockPath);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another opener created it first: fine, we only need it to exist
            }
        }
        return FileChannel.open(lockPath, StandardOpenOption.WRITE);
    }

    private static FileLock lockFile(FileChannel channel, Path db) throws IOException {
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new StoreException(Kind.IO, "database " + db + " is already open (in this or another process)");
        }
        return l;
    }

    private static Connection connect(Path db) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(5_000);
        // Nothing here asks for generated keys, and offering them costs a regular-expression
        // match on every statement executed (a large share of the store's allocation).
        config.setGetGeneratedKeys(false);
        try {
            return config.createConnection("jdbc:sqlite:" + db);
        } catch (SQLException e) {
            throw Sql.translate(e, "open of " + db);
        }
    }

    /**
     * Checks the opened database read-only, then (only if every check passed) switches to WAL and
     * migrates. Returns the schema version after migration.
     */
    private static int prepare(Connection c, Path db, Sql sql, KeyEncryptionKey kek) {
        try (Statement st = c.createStatement()) {
            String quick = single(st, "PRAGMA quick_check");
            if (!"ok".equals(quick)) {
                throw new StoreException(Kind.CORRUPT, "database " + db + " is damaged (SQLite quick_check: "
                        + quick + "); it was left unchanged (restore it from a backup)");
            }
            int tables = Integer.parseInt(single(st, "SELECT count(*) FROM sqlite_master"));
            int version = 0;
            if (tables > 0) {
                if (single(st, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") == null) {
                    throw new StoreException(Kind.NOT_A_STORE, db + " is an SQLite database but not an mlsbridge store"
                            + " (no schema_version table); it was left unchanged");
                }
                String v = single(st, "SELECT max(version) FROM schema_version");
                version = v == null ? 0 : Integer.parseInt(v);
                if (version > Schema.CURRENT_VERSION) {
                    throw new StoreException(Kind.NEWER_SCHEMA, "database " + db + " has schema version " + version
                            + ", written by a newer mlsbridge; this build knows versions up to " + Schema.CURRENT_VERSION
                            + ". Nothing was changed: run the newer version, or restore a backup made for this one");
                }
                if (version > 0) {
                    checkKey(db, sql, kek);
                }
            }
            st.execute("PRAGMA journal_mode = WAL");
            // FULL: a commit is on disk before we act on it (send the outbox); NORMAL could lose
            // committed epochs on power failure and then reuse their keys and nonces.
            st.execute("PRAGMA synchronous = FULL");
            // deleted secrets (consumed keys, old states) are overwritten, not left in free pages
            st.execute("PRAGMA secure_delete = ON");
            st.execute("PRAGMA foreign_keys = ON");
            // after a checkpoint the WAL shrinks back, so old page images (sealed, but of deleted
            // secrets) do not linger in a large WAL file
            st.execute("PRAGMA journal_size_limit = 4194304");
            if (version < Schema.CURRENT_VERSION) {
                migrate(st, db, version, sql, kek);
            }
            return Schema.CURRENT_VERSION;
        } catch (SQLException e) {
            throw Sql.translate(e, "check of " + db);
        }
    }

    private static void checkKey(Path db, Sql sql, KeyEncryptionKey kek) {
        Optional<byte[]> sealed = sql.one("SELECT value FROM meta WHERE name = 'key_check'", rs -> rs.getBytes(1));
        String storedId = sql.one("SELECT value FROM meta WHERE name = 'key_id'",
                rs -> new String(rs.getBytes(1), StandardCharsets.US_ASCII)).orElse("unknown");
        if (sealed.isEmpty()) {
            throw new StoreException(Kind.CORRUPT, "database " + db + " has no key check value; it was left unchanged");
        }
        byte[] plain;
        try {
            plain = sql.cipher().open(keyCheckRow(), sealed.get());
        } catch (StoreException e) {
            throw new StoreException(Kind.WRONG_KEY, "the key-encryption key (id " + kek.keyId()
                    + ") is not the key of database " + db + " (created with key id " + storedId
                    + "); nothing was read or changed. Configure the key it was created with", e);
        }
        if (!Arrays.equals(plain, KEY_CHECK_PLAINTEXT.getBytes(StandardCharsets.US_ASCII))) {
            throw new StoreException(Kind.CORRUPT, "database " + db + " has a wrong key check value");
        }
    }

    static RowId keyCheckRow() {
        return RowId.table("meta").text("key_check").build();
    }

    private static void migrate(Statement st, Path db, int from, Sql sql, KeyEncryptionKey kek) throws SQLException {
        st.execute("BEGIN IMMEDIATE");
        try {
            for (Schema.Migration m : Schema.MIGRATIONS) {
                if (m.version() <= from) {
                    continue;
                }
                for (String statement : m.statements()) {
                    st.execute(statement);
                }
                if (m.version() == 1) {
                    sql.update("INSERT INTO meta (name, value) VALUES ('key_check', ?)",
                            sql.cipher().seal(keyCheckRow(), KEY_CHECK_PLAINTEXT.getBytes(StandardCharsets.US_ASCII)));
                    sql.update("INSERT INTO meta (name, value) VALUES ('key_id', ?)",
                            kek.keyId().getBytes(StandardCharsets.US_ASCII));
                }
                st.executeUpdate("UPDATE schema_version SET version = " + m.version());
            }
            st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            st.execute("ROLLBACK");
            throw e;
        }
        if (from == 0) {
            LOG.info("created store {} (schema version {})", db, Schema.CURRENT_VERSION);
        } else {
            LOG.info("migrated store {} from schema version {} to {}", db, from, Schema.CURRENT_VERSION);
        }
    }

    private static String single(Statement st, String query) throws SQLException {
        try (var rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public Path file() {
        return file;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    /**
     * Runs {@code action} in one transaction: all its writes commit together (durably) when it
     * returns, or none do if it throws, in which case its exception is rethrown. A transaction
     * started inside another on the same thread is a savepoint of the outer one: if it throws,
     * only its own writes are undone, and nothing is durable before the outer one commits.
     */
    public <E extends Exception> void transaction(TransactionAction<E> action) throws E {
        transactionResult(tx -> {
            action.run(tx);
            return null;
        });
    }

    /**
     * False only when the last look at the outbox found it empty and nothing was queued since;
     * then a sender need not open a transaction to look again.
     */
    public boolean outboxMayHoldEntries() {
        return outboxWatch.mayHoldEntries();
    }

    /** As {@link #transaction}, returning the work's result. */
    public <T, E extends Exception> T transactionResult(TransactionWork<T, E> work) throws E {
        return transactionResult(work, true);
    }

    /**
     * As {@link #transactionResult}, but the commit is not synced to disk. It survives a crash of
     * this process at once (SQLite has written the WAL before COMMIT returns) and a crash of the
     * machine once a later synced commit or a checkpoint has run (the WAL is one file, synced as a
     * whole). A power cut before that may lose it and other unsynced commits since the last
     * synced one, never a synced one, and the file stays consistent. Only for writes whose loss repeats something
     * harmless and can never re-use a key or nonce, such as acknowledging messages already
     * handed out (they are handed out again). Nested in a running transaction it is a savepoint
     * of that one and commits with it.
     */
    public <T, E extends Exception> T unsyncedTransactionResult(TransactionWork<T, E> work) throws E {
        return transactionResult(work, false);
    }

    private <T, E extends Exception> T transactionResult(TransactionWork<T, E> work, boolean synced) throws E {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("store " + file + " is closed");
            }
            if (active != null) {
                // nested on this thread (the lock is reentrant): a savepoint in the running transaction
                Sql outer = active;
                return outer.savepoint(() -> work.run(new StoreTransaction(outer, outboxWatch)));
            }
            if (synced) {
                return outermost(work, true);
            }
            run("PRAGMA synchronous = NORMAL");
            try {
                return outermost(work, false);
            } finally {
                restoreSyncedCommits();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes every commit so far durable against a power cut: if one was not synced since the last
     * synced commit that wrote, commits a synced write (a marker row), which syncs the WAL with
     * all that came before it. Call it before acting on state that unsynced transactions changed,
     * such as sending a message.
     */
    public void syncUnsyncedCommits() {
        lock.lock();
        try {
            if (!unsyncedCommits || active != null) {
                // inside a transaction the outermost one's commit decides; nothing to do here
                return;
            }
            transactionResult(tx -> tx.markSynced(clock.millis()));
        } finally {
            lock.unlock();
        }
    }

    /** Whether a commit that wrote was not synced since the last synced one that wrote. */
    public boolean hasUnsyncedCommits() {
        lock.lock();
        try {
            return unsyncedCommits;
        } finally {
            lock.unlock();
        }
    }

    /** SQLite's {@code synchronous} level on this connection (2 is FULL), for tests. */
    int synchronousLevel() {
        lock.lock();
        try (Statement st = connection.createStatement(); var rs = st.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw Sql.translate(e, "PRAGMA synchronous");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Back to synced commits after an unsynced one. Should that fail, the connection might commit
     * key material unsynced, so the store closes rather than go on.
     */
    private void restoreSyncedCommits() {
        try {
            run("PRAGMA synchronous = FULL");
        } catch (RuntimeException e) {
            LOG.error("could not restore synced commits, closing the store: file={}", file);
            close();
            throw e;
        }
    }

    private <T, E extends Exception> T outermost(TransactionWork<T, E> work, boolean synced) throws E {
        Sql sql = new Sql(statements, cipher, chunker, clock);
        run("BEGIN IMMEDIATE");
        active = sql;
        boolean committed = false;
        try {
            T result = work.run(new StoreTransaction(sql, outboxWatch));
            run("COMMIT");
            committed = true;
            if (sql.wrote()) {
                // a synced commit syncs the whole WAL, earlier unsynced commits included
                unsyncedCommits = !synced;
            }
            return result;
        } finally {
            active = null;
            sql.close();
            if (!committed) {
                rollbackQuietly();
            }
        }
    }

    /** A statement run on every transaction, from the cache. */
    private void run(String statement) {
        try {
            statements.execute(statement);
        } catch (SQLException e) {
            throw Sql.translate(e, statement);
        }
    }

    private void exec(String statement) {
        try (Statement st = connection.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw Sql.translate(e, statement);
        }
    }

    private void rollbackQuietly() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            // no transaction was active (BEGIN or COMMIT itself failed and SQLite already rolled back)
        }
    }

    /** An {@link MlsStorage} where each call is its own transaction, for callers that need no more. */
    public MlsStorage mlsStorage() {
        return new AutoCommitMlsStorage(this);
    }

    /** Checkpoints the WAL into the database file and truncates it (e.g. before a backup). */
    public void checkpoint() {
        lock.lock();
        try {
            exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            statements.close();
            closeQuietly(connection, fileLock, lockChannel);
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection connection, FileLock fileLock, FileChannel lockChannel) {
        for (AutoCloseable c : List.<AutoCloseable>of(
                connection == null ? () -> { } : connection,
                fileLock == null ? () -> { } : fileLock,
                lockChannel == null ? () -> { } : lockChannel)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing store resource failed: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + file + ", schema " + schemaVersion + "]";
    }
}
