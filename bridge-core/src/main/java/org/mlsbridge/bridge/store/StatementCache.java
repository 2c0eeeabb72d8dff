package org.mlsbridge.bridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's prepared statements, kept by their SQL text: a message read runs some twenty
 * small statements, and in a profile of a member's reads compiling them anew took more time than
 * running them. Our SQL texts
 * are constants (values are always bound), so the cache stays small; it is bounded all the same.
 * Used only under the store's lock, like the connection.
 */
final class StatementCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);
    static final int LIMIT = 64;

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= LIMIT) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, compiled on first use; its parameters are cleared. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            prepared.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Runs a statement without parameters or rows (BEGIN, COMMIT, SAVEPOINT ...); one that fails is dropped. */
    void execute(String sql) throws SQLException {
        try {
            get(sql).executeUpdate();
        } catch (SQLException e) {
            discard(sql);
            throw e;
        }
    }

    /** Closes and forgets the statement of {@code sql}: after a failure its state is not known. */
    void discard(String sql) {
        PreparedStatement ps = prepared.remove(sql);
        if (ps != null) {
            closeQuietly(ps);
        }
    }

    int size() {
        return prepared.size();
    }

    @Override
    public void close() {
        prepared.values().forEach(StatementCache::closeQuietly);
        prepared.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException e) {
            LOG.debug("closing a cached statement failed: {}", e.toString());
        }
    }
}
