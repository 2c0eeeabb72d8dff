package org.mlsbridge.bridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.store.StoreException.Kind;
import org.mlsbridge.mls.codec.Bytes;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One open transaction's access to the database: parameterised statements, the row cipher, the
 * group-state chunker and the clock. It refuses use once its transaction has ended, so a {@link StoreTransaction} that
 * escapes its lambda cannot write outside a transaction.
 */
final class Sql {
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final StatementCache statements;
    private final RowCipher cipher;
    private final ContentChunker chunker;
    private final Clock clock;
    private final Thread owner = Thread.currentThread();
    private boolean open = true;
    private boolean wrote;

    Sql(StatementCache statements, RowCipher cipher, ContentChunker chunker, Clock clock) {
        this.statements = statements;
        this.cipher = cipher;
        this.chunker = chunker;
        this.clock = clock;
    }

    RowCipher cipher() {
        return cipher;
    }

    ContentChunker chunker() {
        return chunker;
    }

    long nowMillis() {
        return clock.millis();
    }

    void close() {
        open = false;
    }

    /**
     * Runs {@code work} in a savepoint: if it throws, exactly its own changes are undone (the
     * enclosing transaction goes on) and the exception propagates.
     */
    <T, E extends Exception> T savepoint(org.mlsbridge.mls.storage.StorageWork<T, E> work) throws E {
        checkOpen();
        execute("SAVEPOINT nested");
        boolean done = false;
        try {
            T result = work.run();
            done = true;
            return result;
        } finally {
            if (!done) {
                execute("ROLLBACK TO nested");
            }
            execute("RELEASE nested");
        }
    }

    private void execute(String statement) {
        try {
            statements.execute(statement);
        } catch (SQLException e) {
            throw translate(e, statement);
        }
    }

    /** Whether a statement of this transaction changed a row (its commit writes to the WAL). */
    boolean wrote() {
        return wrote;
    }

    int update(String sql, Object... params) {
        checkOpen();
        try {
            int changed = prepare(sql, params).executeUpdate();
            wrote |= changed > 0;
            return changed;
        } catch (SQLException e) {
            statements.discard(sql);
            throw translate(e, "write");
        }
    }

    <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        checkOpen();
        try (ResultSet rs = prepare(sql, params).executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            statements.discard(sql);
            throw translate(e, "read");
        }
    }

    <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        checkOpen();
        try (ResultSet rs = prepare(sql, params).executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        } catch (SQLException e) {
            statements.discard(sql);
            throw translate(e, "read");
        }
    }

    /** The cached statement with {@code params} bound; closing its result set resets it for the next use. */
    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        for (int i = 0; i < params.length; i++) {
            bind(ps, i + 1, params[i]);
        }
        return ps;
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.NULL);
            case Bytes b -> ps.setBytes(index, b.toByteArray());
            case byte[] b -> ps.setBytes(index, b);
            case String s -> ps.setString(index, s);
            case Long l -> ps.setLong(index, l);
            case Integer n -> ps.setInt(index, n);
            case Boolean b -> ps.setInt(index, b ? 1 : 0);
            default -> throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("this store transaction has ended; use the one passed to the current transaction");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a store transaction belongs to the thread that runs it");
        }
    }

    /** Maps SQLite failures onto the store's error kinds, keeping SQLite's message (it holds no values). */
    static StoreException translate(SQLException e, String doing) {
        Kind kind = Kind.IO;
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_CORRUPT || code.name().startsWith("SQLITE_CORRUPT")) {
                kind = Kind.CORRUPT;
            } else if (code == SQLiteErrorCode.SQLITE_NOTADB) {
                kind = Kind.NOT_A_STORE;
            }
        }
        return new StoreException(kind, "database " + doing + " failed: " + e.getMessage(), e);
    }
}
