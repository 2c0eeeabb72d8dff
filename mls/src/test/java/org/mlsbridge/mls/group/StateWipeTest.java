package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.MlsStorage;

/** The encoded group state (epoch secrets in the clear) is zeroed once storage has sealed or copied it. */
class StateWipeTest {
    /** A storage that remembers the very arrays handed to saveGroupState (the in-memory one keeps copies). */
    private static MlsStorage recording(MlsStorage inner, List<byte[]> handed) {
        return (MlsStorage) Proxy.newProxyInstance(MlsStorage.class.getClassLoader(), new Class<?>[] {MlsStorage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("saveGroupState")) {
                        handed.add((byte[]) args[1]);
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static boolean allZero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void saveWipesTheEncodingAfterStorageCopiedIt() throws MlsException {
        Client alice = Clients.group("alice", "bob").get(0);
        InMemoryMlsStorage inner = new InMemoryMlsStorage();
        List<byte[]> handed = new ArrayList<>();
        GroupStateCodec.save(recording(inner, handed), alice.group.state());
        assertThat(handed).hasSize(1);
        assertThat(handed.get(0)).isNotEmpty();
        assertThat(allZero(handed.get(0))).as("the array handed to storage is zeroed").isTrue();
        byte[] stored = inner.loadGroupState(alice.group.groupId()).orElseThrow();
        assertThat(GroupStateCodec.decode(stored, GroupConfig.DEFAULT).epochAuthenticator())
                .isEqualTo(alice.group.epochAuthenticator());
    }

    @Test
    void joinFromStorageWipesTheEncodedState() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client carol = new Client("carol");
        InMemoryMlsStorage inner = new InMemoryMlsStorage();
        List<byte[]> handed = new ArrayList<>();
        MlsStorage storage = recording(inner, handed);
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(carol.identity).build();
        Bytes ref = bundle.ref(GroupConfig.DEFAULT.crypto());
        storage.saveKeyPackage(ref, bundle);
        CommitOutput out = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(bundle.keyPackage())));
        MlsGroup g = MlsGroup.joinFromStorage(out.welcome().orElseThrow(), storage, carol.identity, Optional.empty(),
                GroupConfig.DEFAULT, PskLookup.none());
        assertThat(handed).hasSize(1);
        assertThat(allZero(handed.get(0))).isTrue();
        assertThat(inner.loadGroupState(g.groupId())).isPresent();
    }
}
