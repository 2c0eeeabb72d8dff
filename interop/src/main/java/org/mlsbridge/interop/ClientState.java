package org.mlsbridge.interop;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.HandshakeWireFormat;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;

/**
 * Everything one running interop client holds: the numbered handles and the library
 * configuration. Every member uses a basic credential with the identity the runner names
 * (the harness leaves credential types out).
 */
final class ClientState {
    private final Handles handles = new Handles();
    private final CryptoProvider crypto = CryptoProvider.defaultProvider();

    Handles handles() {
        return handles;
    }

    CryptoProvider crypto() {
        return crypto;
    }

    /** The library defaults, with handshakes as PrivateMessage when {@code encryptHandshake}. */
    GroupConfig config(boolean encryptHandshake) {
        return GroupConfig.DEFAULT.withHandshakes(encryptHandshake ? HandshakeWireFormat.PRIVATE
                : HandshakeWireFormat.PUBLIC);
    }

    SignatureIdentity newIdentity(CipherSuite suite, Bytes identity) {
        return SignatureIdentity.generateBasic(crypto, suite, identity);
    }

    /** A fresh identity and KeyPackage, not yet numbered. */
    KeyPackageHandle newKeyPackage(CipherSuite suite, Bytes identity, PskStore psks) throws CryptoException {
        SignatureIdentity id = newIdentity(suite, identity);
        return new KeyPackageHandle(KeyPackageBuilder.forIdentity(id).cryptoProvider(crypto).build(), id, psks);
    }

    GroupHandle group(int stateId) throws RpcFailure {
        return handles.get(stateId, GroupHandle.class, "group state");
    }

    KeyPackageHandle keyPackage(int transactionId) throws RpcFailure {
        return handles.get(transactionId, KeyPackageHandle.class, "KeyPackage transaction");
    }
}
