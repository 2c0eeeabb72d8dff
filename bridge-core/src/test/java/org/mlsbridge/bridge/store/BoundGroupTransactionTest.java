package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;

/**
 * A group bound to {@link SqliteStore#mlsStorage()} saves itself inside the transaction that is
 * running on its thread, not beside it: its save commits with the event's outbox and cursor, and
 * rolls back with them.
 */
class BoundGroupTransactionTest {
    @TempDir
    Path dir;

    @Test
    void theGroupsSaveCommitsAndRollsBackWithTheSurroundingTransaction() throws MlsException {
        GroupConfig config = GroupConfig.DEFAULT;
        MlsClient bob = MlsClient.of(TestKeys.identity("bob"), new InMemoryMlsStorage(), config);
        try (SqliteStore store = SqliteStore.open(dir.resolve("alice.db"), TestKeys.golden())) {
            MlsClient alice = MlsClient.of(TestKeys.identity("alice"), store.mlsStorage(), config);
            MlsGroup group = alice.createGroup();
            CommitOutput add = group.commitAndMerge(CommitOptions.of(new Proposal.Add(
                    MlsMessage.decodeKeyPackage(bob.createKeyPackage().encode()))));
            MlsGroup bobGroup = bob.join(add.welcome().orElseThrow());

            // committed: state, outbox and cursor together
            store.transaction(tx -> {
                MlsMessage m = group.encrypt(utf8("kept"), Bytes.EMPTY);
                tx.enqueueOutbox(OutboxMessage.of("m-1", "room", "mls", m.encode()));
                tx.setCursor("room", "1");
            });
            byte[] committed = store.mlsStorage().loadGroupState(group.groupId()).orElseThrow();
            // rolled back: the event failed after encrypt, so neither its ciphertext nor its state survive
            assertThatThrownBy(() -> store.transaction(tx -> {
                MlsMessage m = group.encrypt(utf8("never sent"), Bytes.EMPTY);
                tx.enqueueOutbox(OutboxMessage.of("m-2", "room", "mls", m.encode()));
                throw new IllegalStateException("the event failed");
            })).hasMessage("the event failed");

            assertThat(store.mlsStorage().loadGroupState(group.groupId()).orElseThrow())
                    .as("the group's save was part of the failed transaction").isEqualTo(committed);
            MlsGroup restarted = alice.loadGroup(group.groupId()).orElseThrow();
            store.transaction(tx -> {
                assertThat(tx.outbox(10)).extracting(OutboxMessage::id).containsExactly("m-1");
                MlsMessage m = restarted.encrypt(utf8("after restart"), Bytes.EMPTY);
                tx.enqueueOutbox(OutboxMessage.of("m-3", "room", "mls", m.encode()));
            });
            // Bob reads everything that reached the outbox: no generation was used twice on the wire
            for (OutboxMessage sent : store.transactionResult(tx -> tx.outbox(10))) {
                assertThat(bobGroup.process(MlsMessage.decodeProtocolMessage(sent.payload())))
                        .isInstanceOf(ApplicationMessage.class);
            }
        }
    }

    private static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
