package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The connection's statement cache: one compiled statement per SQL text, parameters cleared on
 * each use, bounded, and a statement that failed replaced by a fresh one; a store keeps working
 * after a failed statement.
 */
class StatementCacheTest {
    @TempDir
    Path dir;

    private Connection connection() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
        c.createStatement().executeUpdate("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        return c;
    }

    @Test
    void oneStatementPerTextWithItsParametersCleared() throws Exception {
        try (Connection c = connection(); StatementCache cache = new StatementCache(c)) {
            PreparedStatement insert = cache.get("INSERT INTO t (k, v) VALUES (?, ?)");
            insert.setInt(1, 1);
            insert.setString(2, "one");
            insert.executeUpdate();
            PreparedStatement again = cache.get("INSERT INTO t (k, v) VALUES (?, ?)");
            assertThat(again).isSameAs(insert);
            again.setInt(1, 2);
            assertThatThrownBy(again::executeUpdate).as("v was cleared, not left from the last use")
                    .hasMessageContaining("NULL");
            cache.discard("INSERT INTO t (k, v) VALUES (?, ?)");
            assertThat(insert.isClosed()).isTrue();

            PreparedStatement select = cache.get("SELECT v FROM t WHERE k = ?");
            List<String> read = new ArrayList<>();
            for (int k : new int[] {1, 2, 1}) {
                select = cache.get("SELECT v FROM t WHERE k = ?");
                select.setInt(1, k);
                try (ResultSet rs = select.executeQuery()) {
                    read.add(rs.next() ? rs.getString(1) : "none");
                }
            }
            assertThat(read).containsExactly("one", "none", "one");
        }
    }

    @Test
    void theCacheIsBoundedAndClosesWhatItDrops() throws Exception {
        try (Connection c = connection(); StatementCache cache = new StatementCache(c)) {
            PreparedStatement first = cache.get("SELECT 0");
            for (int i = 1; i < StatementCache.LIMIT + 10; i++) {
                cache.get("SELECT " + i);
            }
            assertThat(cache.size()).isEqualTo(StatementCache.LIMIT);
            assertThat(first.isClosed()).isTrue();
            PreparedStatement fresh = cache.get("SELECT 0");
            assertThat(fresh).isNotSameAs(first);
            try (ResultSet rs = fresh.executeQuery()) {
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void aStoreKeepsWorkingAfterAFailedStatement() {
        Bytes group = Bytes.fromHex("0a");
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"), TestKeys.golden())) {
            assertThatThrownBy(() -> store.mlsStorage().saveGroupRatchets(group, new byte[] {1}))
                    .isInstanceOf(StoreException.class);
            store.mlsStorage().saveGroupState(group, new byte[] {2});
            assertThat(store.mlsStorage().saveGroupRatchets(group, new byte[] {3})).isTrue();
            assertThat(store.mlsStorage().loadGroupRatchets(group)).hasValueSatisfying(r -> assertThat(r).containsExactly(3));
        }
    }
}
