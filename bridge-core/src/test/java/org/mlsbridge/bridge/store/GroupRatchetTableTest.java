package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * A group's ratchets in their own sealed row: saved and loaded with the store's transactions,
 * deleted with every save or delete of the whole state, refused without a stored state, sealed
 * on disk and bound to their group.
 */
class GroupRatchetTableTest {
    private static final Bytes GROUP = Bytes.fromHex("0102");
    private static final Bytes OTHER = Bytes.fromHex("0303");
    private static final byte[] RATCHETS = "ratchets in the clear".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    Path dbFile;
    SqliteStore store;
    MlsStorage mls;

    @BeforeEach
    void open() {
        dbFile = dir.resolve("ratchets.db");
        store = SqliteStore.open(dbFile, TestKeys.golden());
        mls = store.mlsStorage();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = SqliteStore.open(dbFile, TestKeys.golden());
        mls = store.mlsStorage();
    }

    @Test
    void ratchetsRoundTripAndSurviveReopen() {
        mls.saveGroupState(GROUP, new byte[] {1, 2, 3});
        assertThat(mls.loadGroupRatchets(GROUP)).isEmpty();
        assertThat(mls.saveGroupRatchets(GROUP, RATCHETS)).isTrue();
        assertThat(mls.saveGroupRatchets(GROUP, new byte[] {4, 5})).isTrue();
        reopen();
        assertThat(mls.loadGroupRatchets(GROUP)).hasValueSatisfying(r -> assertThat(r).containsExactly(4, 5));
        assertThat(mls.loadGroupState(GROUP)).hasValueSatisfying(s -> assertThat(s).containsExactly(1, 2, 3));
    }

    @Test
    void savingOrDeletingTheWholeStateDeletesTheRatchets() {
        mls.saveGroupState(GROUP, new byte[] {1});
        mls.saveGroupRatchets(GROUP, RATCHETS);
        mls.saveGroupState(GROUP, new byte[] {2});
        assertThat(mls.loadGroupRatchets(GROUP)).isEmpty();

        mls.saveGroupRatchets(GROUP, RATCHETS);
        assertThat(mls.deleteGroupState(GROUP)).isTrue();
        assertThat(mls.loadGroupRatchets(GROUP)).isEmpty();
    }

    @Test
    void ratchetsOfAGroupWithNoStoredStateAreRefused() {
        assertThatThrownBy(() -> mls.saveGroupRatchets(GROUP, RATCHETS)).isInstanceOf(StoreException.class)
                .hasMessageContaining("FOREIGN KEY");
        assertThat(mls.loadGroupRatchets(GROUP)).isEmpty();
    }

    @Test
    void aRatchetsSaveInAFailedTransactionIsUndone() {
        mls.saveGroupState(GROUP, new byte[] {1});
        mls.saveGroupRatchets(GROUP, new byte[] {7});
        assertThatThrownBy(() -> store.transaction(tx -> {
            tx.mls().saveGroupRatchets(GROUP, RATCHETS);
            throw new IllegalStateException("the step failed after the save");
        })).hasMessage("the step failed after the save");
        assertThat(mls.loadGroupRatchets(GROUP)).hasValueSatisfying(r -> assertThat(r).containsExactly(7));
    }

    @Test
    void ratchetsAreSealedOnDisk() throws Exception {
        mls.saveGroupState(GROUP, new byte[] {1});
        mls.saveGroupRatchets(GROUP, RATCHETS);
        store.checkpoint();
        store.close();
        byte[] file = Files.readAllBytes(dbFile);
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("ratchets in the clear");
        store = SqliteStore.open(dbFile, TestKeys.golden());
        mls = store.mlsStorage();
        assertThat(mls.loadGroupRatchets(GROUP)).hasValueSatisfying(r -> assertThat(r).isEqualTo(RATCHETS));
    }

    @Test
    void ratchetsCannotBeMovedToAnotherGroup() throws Exception {
        mls.saveGroupState(GROUP, new byte[] {1});
        mls.saveGroupState(OTHER, new byte[] {2});
        mls.saveGroupRatchets(GROUP, new byte[] {1});
        mls.saveGroupRatchets(OTHER, new byte[] {2});
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile)) {
            // an attacker with write access gives GROUP the other group's sealed ratchets
            c.createStatement().executeUpdate("UPDATE mls_group_ratchets SET ratchets ="
                    + " (SELECT ratchets FROM mls_group_ratchets WHERE group_id = x'0303') WHERE group_id = x'0102'");
        }
        store = SqliteStore.open(dbFile, TestKeys.golden());
        mls = store.mlsStorage();
        assertThatThrownBy(() -> mls.loadGroupRatchets(GROUP))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT))
                .hasMessageContaining("mls_group_ratchets");
        assertThat(mls.loadGroupRatchets(OTHER)).hasValueSatisfying(r -> assertThat(r).containsExactly(2));
    }
}
