package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.storage.MlsStorage;

class SqliteStoreTest {
    private static final Bytes GROUP = Bytes.fromHex("0102");

    @TempDir
    Path dir;
    Path dbFile;
    SqliteStore store;

    @BeforeEach
    void open() {
        dbFile = dir.resolve("bridge.db");
        store = SqliteStore.open(dbFile, TestKeys.golden());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private SqliteStore reopen() {
        store.close();
        store = SqliteStore.open(dbFile, TestKeys.golden());
        return store;
    }

    @Test
    void databaseAndItsWalAreOwnerOnly() throws IOException {
        store.transaction(tx -> tx.setCursor("s", "1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFile))).isEqualTo("rw-------");
        Path wal = dir.resolve("bridge.db-wal");
        assertThat(wal).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bridge.db-shm"))))
                .isEqualTo("rw-------");
    }

    @Test
    void walModeAndSchemaVersion() throws Exception {
        assertThat(store.schemaVersion()).isEqualTo(Schema.CURRENT_VERSION);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
             ResultSet rs = c.createStatement().executeQuery("SELECT version FROM schema_version")) {
            assertThat(rs.getInt(1)).isEqualTo(Schema.CURRENT_VERSION);
        }
        store = SqliteStore.open(dbFile, TestKeys.golden());
    }

    @Test
    void mlsStorageRoundTripsAndSurvivesReopen() throws Exception {
        MlsStorage mls = store.mlsStorage();
        SignatureIdentity alice = TestKeys.identity("alice");
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(alice).build();
        KeyPackageBundle lastResort = KeyPackageBuilder.forIdentity(alice).lastResort(true).build();
        Bytes ref = bundle.ref(TestKeys.PROVIDER);
        Bytes lrRef = lastResort.ref(TestKeys.PROVIDER);
        mls.saveGroupState(GROUP, new byte[] {1, 2, 3});
        mls.saveKeyPackage(ref, bundle);
        mls.saveKeyPackage(lrRef, lastResort);
        mls.saveSignatureIdentity("alice", alice);
        mls.saveExternalPsk(Bytes.fromHex("aa"), Secret.of(new byte[] {7, 7}));
        mls.saveResumptionPsk(GROUP, 5, Secret.of(new byte[] {5}));
        mls.saveResumptionPsk(GROUP, 6, Secret.of(new byte[] {6}));
        mls.saveResumptionPsk(GROUP, -1L, Secret.of(new byte[] {9})); // 2^64-1: the largest epoch

        mls = reopen().mlsStorage();
        assertThat(mls.loadGroupState(GROUP)).hasValueSatisfying(s -> assertThat(s).containsExactly(1, 2, 3));
        assertThat(mls.groupIds()).containsExactly(GROUP);
        assertThat(mls.keyPackageRefs()).containsExactlyInAnyOrder(ref, lrRef);
        assertThat(store.transactionResult(StoreTransaction::ordinaryKeyPackageCount)).isEqualTo(1);
        SignatureIdentity loaded = mls.loadSignatureIdentity("alice").orElseThrow();
        assertThat(loaded.signaturePrivateKey()).isEqualTo(alice.signaturePrivateKey());
        assertThat(loaded.isConsistent(TestKeys.PROVIDER)).isTrue();
        assertThat(mls.loadExternalPsk(Bytes.fromHex("aa"))).contains(Secret.of(new byte[] {7, 7}));

        KeyPackageBundle taken = mls.consumeKeyPackage(ref).orElseThrow();
        assertThat(taken.initPrivateKey()).isEqualTo(bundle.initPrivateKey());
        assertThat(mls.consumeKeyPackage(ref)).isEmpty();
        assertThat(mls.consumeKeyPackage(lrRef)).isPresent();
        assertThat(mls.consumeKeyPackage(lrRef)).isPresent();
        assertThat(mls.deleteKeyPackage(lrRef)).isTrue();
        assertThat(mls.keyPackageRefs()).isEmpty();

        // unsigned epoch order: 2^64-1 is after 6
        assertThat(mls.deleteResumptionPsksBefore(GROUP, 6)).isEqualTo(1);
        assertThat(mls.loadResumptionPsk(GROUP, 5)).isEmpty();
        assertThat(mls.loadResumptionPsk(GROUP, 6)).contains(Secret.of(new byte[] {6}));
        assertThat(mls.loadResumptionPsk(GROUP, -1L)).contains(Secret.of(new byte[] {9}));
        assertThat(mls.deleteResumptionPsks(GROUP)).isEqualTo(2);

        assertThat(mls.deleteGroupState(GROUP)).isTrue();
        assertThat(mls.deleteGroupState(GROUP)).isFalse();
        assertThat(mls.deleteSignatureIdentity("alice")).isTrue();
        assertThat(mls.deleteExternalPsk(Bytes.fromHex("aa"))).isTrue();
        assertThat(mls.loadGroupState(GROUP)).isEmpty();
    }

    @Test
    void secretsAreNotInTheFileInTheClear() throws Exception {
        byte[] marker = "VERY-SECRET-GROUP-STATE-MARKER".getBytes(StandardCharsets.US_ASCII);
        store.mlsStorage().saveGroupState(GROUP, marker);
        store.transaction(tx -> tx.enqueueOutbox(OutboxMessage.of("o1", "room", "msg", Bytes.of(marker))));
        assertNotInTheFilesInTheClear(marker);
    }

    /** Closes the store, finds {@code marker} in neither the database nor its WAL, and opens the store again. */
    private void assertNotInTheFilesInTheClear(byte[] marker) throws Exception {
        store.close();
        for (String name : new String[] {"bridge.db", "bridge.db-wal"}) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                assertThat(indexOf(Files.readAllBytes(f), marker)).as(name).isEqualTo(-1);
            }
        }
        store = SqliteStore.open(dbFile, TestKeys.golden());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        store.transaction(tx -> {
            tx.mls().saveGroupState(GROUP, new byte[] {1});
            tx.setCursor("room", "c1");
        });
        assertThatThrownBy(() -> store.transaction(tx -> {
            tx.mls().saveGroupState(GROUP, new byte[] {2});
            tx.setCursor("room", "c2");
            tx.enqueueOutbox(OutboxMessage.of("out-1", "room", "msg", Bytes.fromHex("01")));
            tx.markDelivered("room", "m1");
            throw new IOException("processing failed half way");
        })).isInstanceOf(IOException.class).hasMessageContaining("half way");

        store.transaction(tx -> {
            assertThat(tx.mls().loadGroupState(GROUP)).hasValueSatisfying(s -> assertThat(s).containsExactly(1));
            assertThat(tx.cursor("room")).contains("c1");
            assertThat(tx.outboxSize()).isZero();
            assertThat(tx.isDelivered("room", "m1")).isFalse();
        });
    }

    private static Optional<String> cursorOf(SqliteStore s) {
        return s.transactionResult(tx -> tx.cursor("s"));
    }

    @Test
    void anUnsyncedTransactionCommitsAndLeavesTheNextOneSynced() {
        assertThat(store.synchronousLevel()).as("FULL").isEqualTo(2);
        store.unsyncedTransactionResult(tx -> {
            tx.setCursor("s", "1");
            return null;
        });
        assertThat(store.synchronousLevel()).isEqualTo(2);
        assertThatThrownBy(() -> store.unsyncedTransactionResult(tx -> {
            tx.setCursor("s", "2");
            throw new IOException("fails half way");
        })).isInstanceOf(IOException.class);
        assertThat(store.synchronousLevel()).isEqualTo(2);
        assertThat(cursorOf(store)).contains("1");
        assertThat(cursorOf(reopen())).contains("1");
    }

    @Test
    void anUnsyncedCommitIsInTheFilesAKilledProcessLeaves() throws Exception {
        store.transaction(tx -> tx.setCursor("s", "synced"));
        store.unsyncedTransactionResult(tx -> {
            tx.setCursor("s", "unsynced");
            return null;
        });
        // the files as they are now, with the store still open, are what a new process finds
        // after this one is killed: copy them aside and open the copy
        Path copy = dir.resolve("after-kill");
        Files.createDirectories(copy);
        Files.copy(dbFile, copy.resolve("bridge.db"));
        Files.copy(dir.resolve("bridge.db-wal"), copy.resolve("bridge.db-wal"));
        try (SqliteStore survivor = SqliteStore.open(copy.resolve("bridge.db"), TestKeys.golden())) {
            assertThat(cursorOf(survivor)).contains("unsynced");
        }
    }

    @Test
    void unsyncedCommitsAreSyncedOnRequestOrByTheNextSyncedWrite() {
        store.unsyncedTransactionResult(tx -> {
            tx.setCursor("s", "1");
            return null;
        });
        assertThat(store.hasUnsyncedCommits()).isTrue();
        store.transaction(tx -> tx.cursor("s"));
        assertThat(store.hasUnsyncedCommits()).as("a synced commit that wrote nothing syncs nothing").isTrue();
        store.syncUnsyncedCommits();
        assertThat(store.hasUnsyncedCommits()).isFalse();
        store.unsyncedTransactionResult(tx -> {
            tx.setCursor("s", "2");
            return null;
        });
        store.unsyncedTransactionResult(tx -> tx.cursor("s"));
        assertThat(store.hasUnsyncedCommits()).isTrue();
        store.transaction(tx -> tx.setCursor("s", "3"));
        assertThat(store.hasUnsyncedCommits()).as("the WAL is synced as a whole").isFalse();
        store.syncUnsyncedCommits(); // nothing to do
        assertThat(cursorOf(reopen())).contains("3");
    }

    @Test
    void anUnsyncedTransactionNestedInASyncedOneCommitsWithIt() {
        assertThatThrownBy(() -> store.transaction(tx -> {
            store.unsyncedTransactionResult(inner -> {
                inner.setCursor("s", "inner");
                return null;
            });
            throw new IOException("the outer one fails");
        })).isInstanceOf(IOException.class);
        assertThat(cursorOf(store)).isEmpty();
        assertThat(store.synchronousLevel()).isEqualTo(2);
    }

    @Test
    void theOutboxIsKnownEmptyOnlyAfterALookFoundItSo() {
        assertThat(store.outboxMayHoldEntries()).as("unknown at open").isTrue();
        store.transaction(tx -> assertThat(tx.outbox(10)).isEmpty());
        assertThat(store.outboxMayHoldEntries()).isFalse();
        assertThatThrownBy(() -> store.transaction(tx -> {
            tx.enqueueOutbox(OutboxMessage.of("a", "room", "app", Bytes.fromHex("0a")));
            throw new IOException("rolled back");
        })).isInstanceOf(IOException.class);
        assertThat(store.outboxMayHoldEntries()).as("errs towards looking").isTrue();
        store.transaction(tx -> assertThat(tx.outbox(0)).isEmpty());
        assertThat(store.outboxMayHoldEntries()).as("a look at no entries proves nothing").isTrue();
        store.transaction(tx -> assertThat(tx.outbox(10)).isEmpty());
        store.transaction(tx -> tx.enqueueOutbox(OutboxMessage.of("b", "room", "app", Bytes.fromHex("0b"))));
        assertThat(store.outboxMayHoldEntries()).isTrue();
        store.transaction(tx -> assertThat(tx.outbox(10)).hasSize(1));
        assertThat(store.outboxMayHoldEntries()).isTrue();
        store.transaction(tx -> {
            tx.removeOutbox("b");
            assertThat(tx.outbox(10)).isEmpty();
        });
        assertThat(store.outboxMayHoldEntries()).isFalse();
        store.transaction(tx -> tx.replaceOutboxPayload("b", Bytes.fromHex("0c")));
        assertThat(store.outboxMayHoldEntries()).as("any write to the outbox").isTrue();
    }

    @Test
    void aTransactionCannotBeUsedAfterItEnds() {
        StoreTransaction[] escaped = new StoreTransaction[1];
        store.transaction(tx -> escaped[0] = tx);
        assertThatThrownBy(() -> escaped[0].setCursor("s", "x")).isInstanceOf(IllegalStateException.class);
        Optional<String> cursor = store.transactionResult(tx -> tx.cursor("s"));
        assertThat(cursor).isEmpty();
    }

    @Test
    void nestedUnitsAreSavepoints() throws Exception {
        MlsStorage mls = store.mlsStorage();
        store.transaction(tx -> {
            tx.setCursor("s", "outer");
            assertThatThrownBy(() -> mls.atomically(() -> {
                mls.saveGroupState(GROUP, new byte[] {1});
                tx.mls().saveExternalPsk(Bytes.fromHex("01"), Secret.of(new byte[] {1}));
                throw new IOException("inner unit fails");
            })).isInstanceOf(IOException.class);
            tx.mls().atomically(() -> {
                tx.mls().saveGroupState(GROUP, new byte[] {2});
                return null;
            });
        });
        assertThat(mls.loadGroupState(GROUP)).hasValueSatisfying(s -> assertThat(s).containsExactly(2));
        assertThat(mls.loadExternalPsk(Bytes.fromHex("01"))).isEmpty();
        String cursor = store.transactionResult(tx -> tx.cursor("s").orElseThrow());
        assertThat(cursor).isEqualTo("outer");
        // atomically on the auto-commit view: one transaction, all or nothing
        assertThatThrownBy(() -> mls.atomically(() -> {
            mls.saveGroupState(GROUP, new byte[] {3});
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(mls.loadGroupState(GROUP)).hasValueSatisfying(s -> assertThat(s).containsExactly(2));
    }

    @Test
    void outboxKeepsOrderIdsAndAttempts() {
        store.transaction(tx -> {
            tx.enqueueOutbox(OutboxMessage.of("b", "room1", "commit", Bytes.fromHex("0b")));
            tx.enqueueOutbox(OutboxMessage.of("a", "room1", "app", Bytes.fromHex("0a")));
        });
        assertThatThrownBy(() -> store.transaction(tx -> tx.enqueueOutbox(OutboxMessage.of("a", "r", "k", Bytes.EMPTY))))
                .isInstanceOf(IllegalStateException.class);
        store.transaction(tx -> tx.recordSendAttempt("b"));
        reopen();
        store.transaction(tx -> {
            assertThat(tx.outbox(10)).extracting(OutboxMessage::id).containsExactly("b", "a");
            OutboxMessage first = tx.outbox(1).get(0);
            assertThat(first.attempts()).isEqualTo(1);
            assertThat(first.payload()).isEqualTo(Bytes.fromHex("0b"));
            assertThat(first.toString()).doesNotContain("0b");
            assertThat(tx.removeOutbox("b")).isTrue();
            assertThat(tx.removeOutbox("b")).isFalse();
            assertThat(tx.outbox(10)).extracting(OutboxMessage::id).containsExactly("a");
        });
    }

    @Test
    void outboxKeepsAPlaintextSealedUntilTheEntryIsSent() throws Exception {
        byte[] marker = "VERY-SECRET-QUEUED-TEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
        store.transaction(tx -> {
            tx.enqueueOutbox(OutboxMessage.withPlaintext("a", "room1", "room", Bytes.fromHex("0a"), Bytes.of(marker)));
            tx.enqueueOutbox(OutboxMessage.of("b", "room1", "room", Bytes.fromHex("0b")));
        });
        assertNotInTheFilesInTheClear(marker);
        store.transaction(tx -> {
            assertThat(tx.replaceOutboxPayload("a", Bytes.fromHex("0c"))).isTrue();
            assertThat(tx.replaceOutboxPayload("nope", Bytes.fromHex("0c"))).isFalse();
        });
        store.transaction(tx -> {
            // same id, same place in the order, same plaintext, new payload
            assertThat(tx.outbox(10)).containsExactly(
                    OutboxMessage.withPlaintext("a", "room1", "room", Bytes.fromHex("0c"), Bytes.of(marker)),
                    OutboxMessage.of("b", "room1", "room", Bytes.fromHex("0b")));
            assertThat(tx.outbox(1).get(0).toString()).doesNotContain("VERY-SECRET").doesNotContain("0c");
            assertThat(tx.removeOutbox("a")).isTrue();
            assertThat(tx.outboxMessage("a")).isEmpty();
        });
    }

    @Test
    void deliveredIdsDeduplicateAndInboxHoldsPlaintextEncrypted() {
        boolean first = store.transactionResult(tx -> {
            boolean fresh = tx.markDelivered("room", "$ev1");
            tx.addInbox(new InboxMessage("$ev1", "room", "alice", Bytes.fromHex("68656c6c6f")));
            return fresh;
        });
        assertThat(first).isTrue();
        boolean again = store.transactionResult(tx -> tx.markDelivered("room", "$ev1"));
        boolean otherStream = store.transactionResult(tx -> tx.markDelivered("other-room", "$ev1"));
        assertThat(again).isFalse();
        assertThat(otherStream).isTrue();
        reopen();
        store.transaction(tx -> {
            assertThat(tx.inbox(10)).singleElement().satisfies(m -> {
                assertThat(m.sender()).isEqualTo("alice");
                assertThat(m.payload()).isEqualTo(Bytes.fromHex("68656c6c6f"));
            });
            assertThat(tx.removeInbox("$ev1")).isTrue();
            assertThat(tx.inbox(10)).isEmpty();
            assertThat(tx.forgetDeliveredBefore(java.time.Instant.now().plusSeconds(1))).isEqualTo(2);
        });
    }

    @Test
    void roomsMembersAndCursors() {
        store.transaction(tx -> {
            tx.putRoom(new Room("xmpp:r@muc", Optional.empty(), "external-sender"));
            tx.putRoom(new Room("matrix:!a:hs", Optional.of(GROUP), "member"));
            tx.putMember(new Member("xmpp:r@muc", "bob@x", Member.Status.JOINED));
            tx.putMember(new Member("xmpp:r@muc", "carol@x", Member.Status.INVITED));
            tx.putMember(new Member("xmpp:r@muc", "carol@x", Member.Status.BANNED));
            tx.setCursor("matrix:sync", "s72594_4483_1934");
        });
        reopen();
        store.transaction(tx -> {
            assertThat(tx.rooms()).extracting(Room::roomId).containsExactly("matrix:!a:hs", "xmpp:r@muc");
            assertThat(tx.room("matrix:!a:hs").orElseThrow().groupId()).contains(GROUP);
            assertThat(tx.members("xmpp:r@muc")).containsExactly(
                    new Member("xmpp:r@muc", "bob@x", Member.Status.JOINED),
                    new Member("xmpp:r@muc", "carol@x", Member.Status.BANNED));
            assertThat(tx.cursor("matrix:sync")).contains("s72594_4483_1934");
            assertThat(tx.removeMember("xmpp:r@muc", "bob@x")).isTrue();
            assertThat(tx.deleteRoom("xmpp:r@muc")).isTrue();
            assertThat(tx.members("xmpp:r@muc")).isEmpty();
        });
    }

    @Test
    void applicationBlobsAreSealedAndTransactional() {
        store.transaction(tx -> {
            tx.putBlob("manager:room-1", Bytes.fromHex("0102"));
            tx.putBlob("manager:room_2%", Bytes.fromHex("03"));
            tx.putBlob("other", Bytes.fromHex("04"));
        });
        assertThatThrownBy(() -> store.transaction(tx -> {
            tx.putBlob("manager:room-1", Bytes.fromHex("ff"));
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        reopen();
        store.transaction(tx -> {
            assertThat(tx.blob("manager:room-1")).contains(Bytes.fromHex("0102"));
            assertThat(tx.blobNames("manager:")).containsExactly("manager:room-1", "manager:room_2%");
            assertThat(tx.blobNames("manager:room_")).containsExactly("manager:room_2%");
            assertThat(tx.deleteBlob("other")).isTrue();
            assertThat(tx.blob("other")).isEmpty();
        });
    }

    @Test
    void virtualThreadsShareAStoreOneTransactionAtATime() throws Exception {
        int threads = 16;
        int each = 20;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        store.transaction(tx -> {
                            // read-modify-write: lost updates would show if transactions interleaved
                            int count = Integer.parseInt(tx.cursor("counter").orElse("0"));
                            tx.enqueueOutbox(OutboxMessage.of("t" + id + "-" + n, "room", "k", Bytes.EMPTY));
                            tx.setCursor("counter", Integer.toString(count + 1));
                        });
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        store.transaction(tx -> {
            assertThat(tx.cursor("counter")).contains(Integer.toString(threads * each));
            assertThat(tx.outboxSize()).isEqualTo(threads * each);
        });
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefused() {
        assertThatThrownBy(() -> SqliteStore.open(dbFile, TestKeys.golden()))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IO))
                .hasMessageContaining("already open");
    }

    @Test
    void rowsCannotBeSwapped() throws Exception {
        Bytes other = Bytes.fromHex("0303");
        store.mlsStorage().saveGroupState(GROUP, new byte[] {1});
        store.mlsStorage().saveGroupState(other, new byte[] {2});
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile)) {
            // an attacker with write access gives GROUP the sealed state of the other group
            c.createStatement().executeUpdate("UPDATE mls_group_state SET manifest ="
                    + " (SELECT manifest FROM mls_group_state WHERE group_id = x'0303') WHERE group_id = x'0102'");
        }
        store = SqliteStore.open(dbFile, TestKeys.golden());
        assertThatThrownBy(() -> store.mlsStorage().loadGroupState(GROUP))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT))
                .hasMessageContaining("mls_group_state").hasMessageContaining("authentication");
        assertThat(store.mlsStorage().loadGroupState(other)).hasValueSatisfying(s -> assertThat(s).containsExactly(2));
    }
}
