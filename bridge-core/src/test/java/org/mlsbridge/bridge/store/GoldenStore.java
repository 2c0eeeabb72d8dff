package org.mlsbridge.bridge.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;

/**
 * Writes a golden store (one of every kind of row, under {@link TestKeys#golden()}) and a
 * properties file with the plaintexts {@link StorageFormatGoldenTest} must read back from it.
 * Run by hand only when a new storage format version is introduced, to a NEW file name
 * (store-vN.db): the old golden files stay and must keep opening. Args: OUT_DIR NAME
 */
public final class GoldenStore {
    static final Bytes GROUP = Bytes.fromHex("901de7");
    static final Bytes PSK_ID = Bytes.fromHex("5b1d");
    static final byte[] KEPT_TEXT = "kept until sent".getBytes(StandardCharsets.UTF_8);

    private GoldenStore() {
    }

    /** 60,000 bytes, deterministic, enough for several chunks. */
    static byte[] groupState() {
        byte[] s = new byte[60_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (i * 7 + (i >> 8) * 13 + (i >> 11));
        }
        return s;
    }

    /** A group's ratchets stored apart (schema version 4): opaque bytes to the store. */
    static byte[] ratchets() {
        return "golden ratchets".getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        Path db = dir.resolve(name + ".db");
        if (Files.exists(db)) {
            throw new IllegalStateException(db + " exists: golden files are never overwritten");
        }
        SignatureIdentity identity = TestKeys.identity("golden");
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(identity).build();
        KeyPackageBundle lastResort = KeyPackageBuilder.forIdentity(identity).lastResort(true).build();
        Bytes ref = bundle.ref(TestKeys.PROVIDER);
        Bytes lastResortRef = lastResort.ref(TestKeys.PROVIDER);
        Map<String, String> expected = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        expected.put("key_package_ref", ref.hex());
        expected.put("key_package_bundle", hex.formatHex(bundle.encode()));
        expected.put("last_resort_ref", lastResortRef.hex());
        expected.put("last_resort_bundle", hex.formatHex(lastResort.encode()));
        expected.put("signature_identity", hex.formatHex(identity.encode()));
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            store.transaction(tx -> {
                tx.mls().saveGroupState(GROUP, groupState());
                tx.mls().saveKeyPackage(ref, bundle);
                tx.mls().saveKeyPackage(lastResortRef, lastResort);
                tx.mls().saveSignatureIdentity("golden", identity);
                tx.mls().saveExternalPsk(PSK_ID, Secret.of("external psk".getBytes(StandardCharsets.US_ASCII)));
                tx.mls().saveResumptionPsk(GROUP, 41, Secret.of("resumption 41".getBytes(StandardCharsets.US_ASCII)));
                tx.mls().saveResumptionPsk(GROUP, 42, Secret.of("resumption 42".getBytes(StandardCharsets.US_ASCII)));
                tx.putRoom(new Room("xmpp:golden@muc.example", Optional.of(GROUP), "external-sender"));
                tx.putMember(new Member("xmpp:golden@muc.example", "alice@example", Member.Status.JOINED));
                tx.putMember(new Member("xmpp:golden@muc.example", "mallory@example", Member.Status.BANNED));
                tx.setCursor("xmpp:golden@muc.example", "mam-1234");
                tx.enqueueOutbox(OutboxMessage.of("txn-1", "xmpp:golden@muc.example", "room-message",
                        Bytes.fromHex("0001020304")));
                tx.enqueueOutbox(OutboxMessage.of("txn-2", "bob@example", "welcome", Bytes.fromHex("ff")));
                tx.markDelivered("xmpp:golden@muc.example", "stanza-7");
                tx.addInbox(new InboxMessage("stanza-7", "xmpp:golden@muc.example", "alice@example",
                        Bytes.of("hello, golden".getBytes(StandardCharsets.UTF_8))));
                tx.putBlob("manager:golden", Bytes.fromHex("c0ffee")); // schema version 2
                tx.enqueueOutbox(OutboxMessage.withPlaintext("txn-3", "xmpp:golden@muc.example", "room",
                        Bytes.fromHex("0a0b"), Bytes.of(KEPT_TEXT))); // schema version 3
                tx.mls().saveGroupRatchets(GROUP, ratchets()); // schema version 4
            });
            store.checkpoint();
        }
        StringBuilder props = new StringBuilder("# plaintexts stored in " + name + ".db (test data, test key)\n");
        expected.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve(name + ".expected.properties"), props.toString());
        Files.deleteIfExists(dir.resolve(name + ".db.lock"));
        System.out.println("wrote " + db);
    }
}
