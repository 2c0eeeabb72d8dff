package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * Databases written by earlier builds (src/test/resources/golden, made by {@link GoldenStore})
 * must keep opening with every value intact: a change that silently breaks existing stores
 * (schema, encryption format, associated data, key derivation, chunk manifest, value encodings)
 * fails here. Add a new golden file for a new format; never edit or delete an old one.
 */
class StorageFormatGoldenTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"store-v1", "store-v2", "store-v3", "store-v4"})
    void goldenStoreStillOpensWithEveryValue(String name) throws Exception {
        Path db = dir.resolve(name + ".db");
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name + ".db")) {
            assertThat(in).as("golden file").isNotNull();
            Files.copy(in, db);
        }
        Properties expected = new Properties();
        try (Reader r = new java.io.InputStreamReader(getClass().getResourceAsStream("/golden/" + name
                + ".expected.properties"), StandardCharsets.US_ASCII)) {
            expected.load(r);
        }
        HexFormat hex = HexFormat.of();

        assertThatThrownBy(() -> SqliteStore.open(db, TestKeys.other()))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.WRONG_KEY));

        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            assertThat(store.schemaVersion()).isEqualTo(Schema.CURRENT_VERSION);
            MlsStorage mls = store.mlsStorage();
            assertThat(mls.loadGroupState(GoldenStore.GROUP)).hasValueSatisfying(
                    s -> assertThat(s).isEqualTo(GoldenStore.groupState()));
            Bytes ref = Bytes.fromHex(expected.getProperty("key_package_ref"));
            Bytes lastResortRef = Bytes.fromHex(expected.getProperty("last_resort_ref"));
            assertThat(mls.keyPackageRefs()).containsExactlyInAnyOrder(ref, lastResortRef);
            KeyPackageBundle bundle = mls.loadKeyPackage(ref).orElseThrow();
            assertThat(hex.formatHex(bundle.encode())).isEqualTo(expected.getProperty("key_package_bundle"));
            assertThat(bundle.ref(TestKeys.PROVIDER)).isEqualTo(ref);
            assertThat(hex.formatHex(mls.loadKeyPackage(lastResortRef).orElseThrow().encode()))
                    .isEqualTo(expected.getProperty("last_resort_bundle"));
            assertThat(hex.formatHex(mls.loadSignatureIdentity("golden").orElseThrow().encode()))
                    .isEqualTo(expected.getProperty("signature_identity"));
            assertThat(mls.loadExternalPsk(GoldenStore.PSK_ID))
                    .contains(Secret.of("external psk".getBytes(StandardCharsets.US_ASCII)));
            assertThat(mls.loadResumptionPsk(GoldenStore.GROUP, 42))
                    .contains(Secret.of("resumption 42".getBytes(StandardCharsets.US_ASCII)));
            assertThat(mls.loadResumptionPsk(GoldenStore.GROUP, 41)).isPresent();
            if (name.equals("store-v4")) {
                assertThat(mls.loadGroupRatchets(GoldenStore.GROUP)).hasValueSatisfying(
                        r -> assertThat(r).isEqualTo(GoldenStore.ratchets()));
            } else {
                assertThat(mls.loadGroupRatchets(GoldenStore.GROUP)).isEmpty(); // migrated: none yet
            }

            store.transaction(tx -> {
                String room = "xmpp:golden@muc.example";
                assertThat(tx.rooms()).containsExactly(new Room(room, java.util.Optional.of(GoldenStore.GROUP),
                        "external-sender"));
                assertThat(tx.members(room)).containsExactly(new Member(room, "alice@example", Member.Status.JOINED),
                        new Member(room, "mallory@example", Member.Status.BANNED));
                assertThat(tx.cursor(room)).contains("mam-1234");
                List<OutboxMessage> outbox = new ArrayList<>(List.of(
                        OutboxMessage.of("txn-1", room, "room-message", Bytes.fromHex("0001020304")),
                        OutboxMessage.of("txn-2", "bob@example", "welcome", Bytes.fromHex("ff"))));
                if (name.equals("store-v3") || name.equals("store-v4")) {
                    outbox.add(OutboxMessage.withPlaintext("txn-3", room, "room", Bytes.fromHex("0a0b"),
                            Bytes.of(GoldenStore.KEPT_TEXT)));
                }
                // migrated from before version 3: the entries keep no plaintext
                assertThat(tx.outbox(10)).containsExactlyElementsOf(outbox);
                assertThat(tx.isDelivered(room, "stanza-7")).isTrue();
                assertThat(tx.inbox(10)).containsExactly(new InboxMessage("stanza-7", room, "alice@example",
                        Bytes.of("hello, golden".getBytes(StandardCharsets.UTF_8))));
                if (name.equals("store-v1")) {
                    assertThat(tx.blobNames("")).isEmpty(); // migrated: the table exists, empty
                } else {
                    assertThat(tx.blob("manager:golden")).contains(Bytes.fromHex("c0ffee"));
                }
            });
            // an entry that keeps its plaintext can be queued, read and encrypted again after migrating
            store.transaction(tx -> {
                tx.enqueueOutbox(OutboxMessage.withPlaintext("after", "r", "room", Bytes.fromHex("01"),
                        Bytes.fromHex("7e")));
                assertThat(tx.replaceOutboxPayload("after", Bytes.fromHex("02"))).isTrue();
            });
            store.transaction(tx -> assertThat(tx.outboxMessage("after")).contains(
                    OutboxMessage.withPlaintext("after", "r", "room", Bytes.fromHex("02"), Bytes.fromHex("7e"))));
            // and it keeps working: ratchets are saved apart, and the next epoch's state is
            // written over the old format's rows and drops them
            assertThat(mls.saveGroupRatchets(GoldenStore.GROUP, new byte[] {4, 2})).isTrue();
            assertThat(mls.loadGroupRatchets(GoldenStore.GROUP)).hasValueSatisfying(r -> assertThat(r).containsExactly(4, 2));
            byte[] next = GoldenStore.groupState();
            next[100] ^= 1;
            mls.saveGroupState(GoldenStore.GROUP, next);
            assertThat(mls.loadGroupState(GoldenStore.GROUP)).hasValueSatisfying(s -> assertThat(s).isEqualTo(next));
            assertThat(mls.loadGroupRatchets(GoldenStore.GROUP)).isEmpty();
        }
    }
}
