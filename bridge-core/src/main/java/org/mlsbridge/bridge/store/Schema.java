package org.mlsbridge.bridge.store;

import java.util.List;

/**
 * The versioned schema: migration {@code n} takes a database from version {@code n - 1} to
 * {@code n}. Released migrations are never edited, only appended to (the golden-file test
 * {@code StorageFormatGoldenTest} holds a version-1 database that must keep opening). The
 * layout is documented in docs/storage.md.
 */
final class Schema {
    /** A step to version {@link #version}; all its statements run in the migration's transaction. */
    record Migration(int version, List<String> statements) {
        Migration {
            statements = List.copyOf(statements);
        }
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, List.of(
                    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
                    "INSERT INTO schema_version (version) VALUES (0)",
                    // name -> value; 'key_check' (sealed known text) and 'key_id' (public fingerprint)
                    "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
                    // ---- MlsStorage: every value column sealed with RowCipher
                    // group state = sealed manifest + content-defined chunks (GroupStateTable)
                    "CREATE TABLE mls_group_state (group_id BLOB PRIMARY KEY, manifest BLOB NOT NULL,"
                            + " size INTEGER NOT NULL, chunks INTEGER NOT NULL, updated_ms INTEGER NOT NULL)",
                    "CREATE TABLE mls_group_state_chunk (group_id BLOB NOT NULL, chunk_id BLOB NOT NULL,"
                            + " data BLOB NOT NULL, PRIMARY KEY (group_id, chunk_id))",
                    "CREATE TABLE mls_key_package (ref BLOB PRIMARY KEY, bundle BLOB NOT NULL,"
                            + " last_resort INTEGER NOT NULL, created_ms INTEGER NOT NULL)",
                    "CREATE TABLE mls_signature_identity (name TEXT PRIMARY KEY, identity BLOB NOT NULL)",
                    "CREATE TABLE mls_external_psk (psk_id BLOB PRIMARY KEY, psk BLOB NOT NULL)",
                    // epoch: 8 bytes big-endian so BLOB order is unsigned 64-bit order
                    "CREATE TABLE mls_resumption_psk (group_id BLOB NOT NULL, epoch BLOB NOT NULL,"
                            + " psk BLOB NOT NULL, PRIMARY KEY (group_id, epoch))",
                    // ---- the bridge's own tables
                    "CREATE TABLE room (room_id TEXT PRIMARY KEY, group_id BLOB, mode TEXT NOT NULL,"
                            + " updated_ms INTEGER NOT NULL)",
                    "CREATE TABLE room_member (room_id TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,"
                            + " updated_ms INTEGER NOT NULL, PRIMARY KEY (room_id, user_id))",
                    "CREATE TABLE transport_cursor (stream TEXT PRIMARY KEY, cursor TEXT NOT NULL,"
                            + " updated_ms INTEGER NOT NULL)",
                    // payload sealed; seq gives the send order, id is the idempotency key on the wire
                    "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
                            + " destination TEXT NOT NULL, kind TEXT NOT NULL, payload BLOB NOT NULL,"
                            + " attempts INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL)",
                    "CREATE TABLE delivered (stream TEXT NOT NULL, message_id TEXT NOT NULL,"
                            + " delivered_ms INTEGER NOT NULL, PRIMARY KEY (stream, message_id))",
                    "CREATE INDEX delivered_by_time ON delivered (delivered_ms)",
                    // decrypted application messages awaiting the application; payload sealed
                    "CREATE TABLE inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
                            + " room_id TEXT NOT NULL, sender TEXT NOT NULL, payload BLOB NOT NULL,"
                            + " received_ms INTEGER NOT NULL)")),
            // application state that must be sealed and change with the MLS state (e.g. the
            // group manager's per-room bookkeeping); value sealed, row identity (app_blob, name)
            new Migration(2, List.of(
                    "CREATE TABLE app_blob (name TEXT PRIMARY KEY, value BLOB NOT NULL, updated_ms INTEGER NOT NULL)")),
            // the plaintext of a queued application message (sealed; NULL for every other entry),
            // kept until it is sent so it can be encrypted again in a newer epoch
            new Migration(3, List.of(
                    "ALTER TABLE outbox ADD COLUMN plaintext BLOB")),
            // a group's ratchets (secret trees) apart from its state, so that reading or sending an
            // application message rewrites one small row (GroupRatchetTable); sealed, row identity
            // (mls_group_ratchets, group_id); deleted whenever the whole state is saved or deleted
            new Migration(4, List.of(
                    "CREATE TABLE mls_group_ratchets (group_id BLOB PRIMARY KEY"
                            + " REFERENCES mls_group_state (group_id) ON DELETE CASCADE,"
                            + " ratchets BLOB NOT NULL, updated_ms INTEGER NOT NULL)")));

    static final int CURRENT_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private Schema() {
    }
}
