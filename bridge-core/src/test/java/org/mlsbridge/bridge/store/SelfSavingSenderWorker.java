package org.mlsbridge.bridge.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;

/**
 * The child JVM of {@link SelfSavingSenderKillTest}: Alice loads her group from the SQLite store
 * and encrypts message after message with no transaction and no save of her own (the group
 * saves itself in a store transaction before {@code encrypt} returns), printing each ciphertext
 * once it is returned: "CT run-n base64 END" (END shows the line is whole). Killed with SIGKILL at
 * random moments.
 * Arguments: database, group id (hex), run number, messages to send.
 */
public final class SelfSavingSenderWorker {
    private SelfSavingSenderWorker() {
    }

    public static void main(String[] args) throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKeys.fromEnvironment("MLSBRIDGE_TEST_KEK");
        Bytes groupId = Bytes.fromHex(args[1]);
        int run = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (SqliteStore store = SqliteStore.open(Path.of(args[0]), kek)) {
            MlsClient alice = MlsClient.load(store.mlsStorage(), "alice", GroupConfig.DEFAULT).orElseThrow();
            MlsGroup group = alice.loadGroup(groupId).orElseThrow();
            System.out.println("READY");
            System.out.flush();
            for (int n = 0; n < count; n++) {
                String text = run + "-" + n;
                Bytes ciphertext = group.encrypt(text.getBytes(StandardCharsets.US_ASCII)).encode();
                System.out.println("CT " + text + " " + Base64.getEncoder().encodeToString(ciphertext.toByteArray())
                        + " END");
                System.out.flush();
            }
            System.out.println("DONE");
        }
    }
}
