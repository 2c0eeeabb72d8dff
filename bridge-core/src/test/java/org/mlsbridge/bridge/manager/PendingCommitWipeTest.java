package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A pending commit holds the encoded next epoch's state, secrets included: once the store has
 * its own (sealed) copy, the plaintext handed to it is wiped, and the store still reads it back.
 */
class PendingCommitWipeTest {
    private static final RoomId ROOM = new RoomId("room@muc.example");

    @Test
    void thePlaintextHandedToTheStoreIsWipedAndTheStoredCopyReadsBack() throws Exception {
        InMemoryClientStore store = new InMemoryClientStore();
        Bytes secretState = Bytes.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Blobs.PendingCommit pc = new Blobs.PendingCommit(7, "digest", secretState, Bytes.EMPTY,
                Bytes.wrap(new byte[] {9}), List.of(new UserId("xmpp:dave@example.org")), true);
        List<Bytes> handed = new ArrayList<>();
        store.transaction(tx -> {
            new RoomRecords(recording(tx, handed), ROOM).setPending(pc);
            return null;
        });
        assertThat(handed).singleElement().satisfies(b -> assertThat(b.toByteArray()).containsOnly(0));
        Blobs.PendingCommit back = store.transaction(tx -> new RoomRecords(tx, ROOM).pending()).orElseThrow();
        assertThat(back.nextState()).isEqualTo(secretState);
        assertThat(back.epoch()).isEqualTo(7);
    }

    /** {@code tx}, recording the values of putBlob as handed over (read after the call returns). */
    private static ClientStore.Tx recording(ClientStore.Tx tx, List<Bytes> handed) {
        return (ClientStore.Tx) Proxy.newProxyInstance(ClientStore.Tx.class.getClassLoader(),
                new Class<?>[] {ClientStore.Tx.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putBlob")) {
                        handed.add((Bytes) args[1]);
                    }
                    try {
                        return method.invoke(tx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
