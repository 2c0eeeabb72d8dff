package org.mlsbridge.bridge.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.MlsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's published KeyPackages: one-time ones kept at {@link ClientOptions#keyPackagePool}
 * (topped up when half are gone) plus one last_resort. Private keys are saved in the store before
 * the public parts are published; a KeyPackage used by a join is marked in the join's transaction
 * and retracted from the transport afterwards (XMPP PEP items are not removed by claiming them).
 */
final class KeyPackagePool {
    private static final Logger LOG = LoggerFactory.getLogger(KeyPackagePool.class);
    private static final String USED = "keyPackages:used";
    private static final String LAST_RESORT = "keyPackages:lastResort";

    private final SignatureIdentity identity;
    private final Transport transport;
    private final ClientStore store;
    private final int size;
    private final CryptoProvider crypto;

    KeyPackagePool(SignatureIdentity identity, Transport transport, ClientStore store, ClientOptions options) {
        this.identity = identity;
        this.transport = transport;
        this.store = store;
        this.size = options.keyPackagePool();
        this.crypto = options.groupConfig().crypto();
    }

    /** Records, inside the join's transaction, that a KeyPackage was used. */
    static void markUsed(ClientStore.Tx tx, Bytes ref) {
        BlobLists.add(tx, USED, ref.hex());
    }

    /** Whether a join used a KeyPackage since the last {@link #maintain}. */
    boolean needsMaintenance() {
        return store.transaction(tx -> tx.blob(USED).isPresent() || tx.blob(LAST_RESORT).isEmpty());
    }

    /** Retracts used KeyPackages and publishes fresh ones as needed. */
    void maintain() throws TransportException {
        List<String> used = store.transaction(tx -> BlobLists.get(tx, USED));
        for (String hex : used) {
            transport.retractKeyPackage(Bytes.fromHex(hex));
            store.transaction(tx -> BlobLists.remove(tx, USED, hex));
        }
        int available = transport.availableKeyPackages();
        boolean needLastResort = store.transaction(tx -> tx.blob(LAST_RESORT).isEmpty());
        if (available * 2 > size && !needLastResort) {
            return;
        }
        List<KeyPackageBundle> bundles = new ArrayList<>();
        for (int i = available; i < size; i++) {
            bundles.add(Wire.build(KeyPackageBuilder.forIdentity(identity)));
        }
        Optional<KeyPackageBundle> lastResort = needLastResort
                ? Optional.of(Wire.build(KeyPackageBuilder.forIdentity(identity).lastResort(true)))
                : Optional.empty();
        store.transaction(tx -> {
            for (KeyPackageBundle b : bundles) {
                tx.mls().saveKeyPackage(b.ref(crypto), b);
            }
            lastResort.ifPresent(b -> {
                tx.mls().saveKeyPackage(b.ref(crypto), b);
                tx.putBlob(LAST_RESORT, b.ref(crypto));
            });
            return null;
        });
        List<PublishedKeyPackage> fresh = new ArrayList<>();
        for (KeyPackageBundle b : bundles) {
            fresh.add(published(b));
        }
        transport.publishKeyPackages(fresh, lastResort.map(this::published));
        LOG.debug("KeyPackages published: user={} oneTime={} lastResort={}", transport.self(), fresh.size(),
                lastResort.isPresent());
    }

    private PublishedKeyPackage published(KeyPackageBundle b) {
        return new PublishedKeyPackage(b.ref(crypto), MlsMessage.of(b.keyPackage()).encode());
    }
}
