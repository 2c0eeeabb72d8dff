package org.mlsbridge.mls.keys;

import java.util.Arrays;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.KeyPackage;

/**
 * A KeyPackage with the private keys its owner needs to join through it: the HPKE private key of
 * {@code init_key} (opens the Welcome) and that of {@code leaf_node.encryption_key} (the leaf's
 * tree key). Both private keys are deleted once the KeyPackage is used, unless it is last_resort.
 *
 * <p>Storage format ({@link #encode}/{@link #decode}), stable: {@code uint8 format = 1;
 * KeyPackage key_package; opaque init_private_key<V>; opaque encryption_private_key<V>}.
 */
public record KeyPackageBundle(KeyPackage keyPackage, Secret initPrivateKey, Secret encryptionPrivateKey) {
    static final int FORMAT = 1;

    public KeyPackageBundle {
        Objects.requireNonNull(keyPackage, "keyPackage");
        Objects.requireNonNull(initPrivateKey, "initPrivateKey");
        Objects.requireNonNull(encryptionPrivateKey, "encryptionPrivateKey");
    }

    /** Whether the KeyPackage carries the last_resort extension (it may then be used more than once). */
    public boolean isLastResort() {
        return isLastResort(keyPackage);
    }

    public static boolean isLastResort(KeyPackage keyPackage) {
        return Extensions.find(keyPackage.extensions(), Extension.LAST_RESORT).isPresent();
    }

    /** MakeKeyPackageRef (RFC 9420 §5.2): the name others use for this KeyPackage. */
    public Bytes ref(CryptoProvider provider) {
        return provider.suite(keyPackage.cipherSuite()).makeKeyPackageRef(keyPackage.toByteArray());
    }

    /** Wipes both private keys; the bundle is unusable afterwards. */
    public void destroy() {
        initPrivateKey.destroy();
        encryptionPrivateKey.destroy();
    }

    /** The storage encoding described in the class comment; it contains the private keys. */
    public byte[] encode() {
        TlsWriter w = new TlsWriter(512);
        w.uint8(FORMAT);
        keyPackage.writeTo(w);
        byte[] init = initPrivateKey.copy();
        byte[] enc = encryptionPrivateKey.copy();
        try {
            w.opaque(init).opaque(enc);
            return w.toByteArray();
        } finally {
            Arrays.fill(init, (byte) 0);
            Arrays.fill(enc, (byte) 0);
        }
    }

    public static KeyPackageBundle decode(byte[] data) throws DecodeException {
        return TlsReader.decode(data, KeyPackageBundle::readFrom);
    }

    static KeyPackageBundle readFrom(TlsReader r) throws DecodeException {
        int format = r.uint8();
        if (format != FORMAT) {
            throw new DecodeException("unknown KeyPackageBundle storage format " + format);
        }
        KeyPackage kp = KeyPackage.readFrom(r);
        Secret init = Secret.wrap(r.opaqueArray());
        Secret enc = Secret.wrap(r.opaqueArray());
        return new KeyPackageBundle(kp, init, enc);
    }

    /** A copy whose secrets can be destroyed without affecting this bundle. */
    public KeyPackageBundle copy() {
        return new KeyPackageBundle(keyPackage, Secret.wrap(initPrivateKey.copy()),
                Secret.wrap(encryptionPrivateKey.copy()));
    }

    @Override
    public String toString() {
        return "KeyPackageBundle[" + keyPackage.cipherSuite() + ", init key " + keyPackage.initKey()
                + (isLastResort() ? ", last_resort" : "") + ", private keys redacted]";
    }
}
