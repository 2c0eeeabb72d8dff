package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.store.StoreException.Kind;
import org.mlsbridge.mls.codec.Bytes;

/** Every way a store can fail to open gives a clear error and leaves the file byte for byte as it was. */
class StoreOpenFailuresTest {
    private static final Bytes GROUP = Bytes.fromHex("0a0b");

    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void createStore() {
        db = dir.resolve("client.db");
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            byte[] state = new byte[20_000];
            new java.util.Random(1).nextBytes(state);
            store.mlsStorage().saveGroupState(GROUP, state);
            store.transaction(tx -> tx.setCursor("room", "c-1"));
            store.checkpoint(); // everything in the main file, so damaging it damages the data
        }
    }

    private void assertStillOpensWithGoldenKey() {
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            assertThat(store.mlsStorage().loadGroupState(GROUP)).isPresent();
            String cursor = store.transactionResult(tx -> tx.cursor("room").orElseThrow());
            assertThat(cursor).isEqualTo("c-1");
        }
    }

    private void assertRefusedUnchanged(KeyEncryptionKey key, Kind kind, String... messageParts) throws IOException {
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteStore.open(db, key))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
        assertThat(Files.readAllBytes(db)).as("database file untouched").isEqualTo(before);
    }

    @Test
    void wrongKeyIsAClearErrorAndTheDataStaysIntact() throws IOException {
        assertRefusedUnchanged(TestKeys.other(), Kind.WRONG_KEY, "not the key of database",
                TestKeys.golden().keyId(), TestKeys.other().keyId());
        assertStillOpensWithGoldenKey();
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        long size = Files.size(db);
        Path backup = dir.resolve("backup.db");
        Files.copy(db, backup);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(size - 4096); // lose the last page
        }
        assertRefusedUnchanged(TestKeys.golden(), Kind.CORRUPT, "truncated");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(size / 2 + 100); // cut mid-page
        }
        assertRefusedUnchanged(TestKeys.golden(), Kind.CORRUPT, "truncated");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(50); // not even a header
        }
        assertRefusedUnchanged(TestKeys.golden(), Kind.CORRUPT, "truncated");
        Files.copy(backup, db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertStillOpensWithGoldenKey();
    }

    @Test
    void corruptPagesAreRefused() throws IOException {
        byte[] data = Files.readAllBytes(db);
        // page 2 onwards: B-tree pages of the tables; scribble over a page header
        for (int i = 4096; i < 4096 + 64; i++) {
            data[i] = (byte) 0xA5;
        }
        Files.write(db, data);
        assertRefusedUnchanged(TestKeys.golden(), Kind.CORRUPT, "damaged");
    }

    @Test
    void corruptSchemaPageIsRefused() throws IOException {
        byte[] data = Files.readAllBytes(db);
        for (int i = 100; i < 400; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(db, data);
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteStore.open(db, TestKeys.golden()))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.kind()).isIn(Kind.CORRUPT, Kind.NOT_A_STORE));
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void corruptEncryptedValueIsACorruptRowNotGarbage() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate(
                    "UPDATE mls_group_state_chunk SET data = CAST(substr(data, 1, 40) || x'00' || substr(data, 42) AS BLOB)"
                            + " WHERE rowid = (SELECT min(rowid) FROM mls_group_state_chunk)");
        }
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            assertThatThrownBy(() -> store.mlsStorage().loadGroupState(GROUP))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT))
                    .hasMessageContaining("fails authentication");
        }
    }

    @Test
    void newerSchemaIsRefusedUntouched() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate("UPDATE schema_version SET version = " + (Schema.CURRENT_VERSION + 1));
            c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        assertRefusedUnchanged(TestKeys.golden(), Kind.NEWER_SCHEMA, "schema version " + (Schema.CURRENT_VERSION + 1),
                "newer mlsbridge");
    }

    @Test
    void foreignFilesAreRefusedUntouched() throws Exception {
        Files.writeString(db, "this is a text file, not a database\n".repeat(200));
        assertRefusedUnchanged(TestKeys.golden(), Kind.NOT_A_STORE, "not an SQLite database");

        Files.delete(db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("CREATE TABLE songs (title TEXT)");
        }
        assertRefusedUnchanged(TestKeys.golden(), Kind.NOT_A_STORE, "not an mlsbridge store");
    }

    @Test
    void anEmptyFileLeftByACrashAtCreationIsInitialised() throws IOException {
        Path fresh = dir.resolve("fresh.db");
        Files.createFile(fresh);
        try (SqliteStore store = SqliteStore.open(fresh, TestKeys.golden())) {
            assertThat(store.schemaVersion()).isEqualTo(Schema.CURRENT_VERSION);
        }
        try (SqliteStore store = SqliteStore.open(fresh, TestKeys.golden())) {
            assertThat(store.mlsStorage().groupIds()).isEmpty();
        }
    }
}
