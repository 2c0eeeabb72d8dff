package org.mlsbridge.mls.keys;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Credential;

/**
 * Who a client is in its groups: a credential bound to a signature key pair of one cipher suite
 * (RFC 9420 §5.3). The private key never appears in {@link #toString()}.
 *
 * <p>Storage format ({@link #encode}/{@link #decode}), stable: {@code uint8 format = 1;
 * uint16 cipher_suite; Credential credential; opaque signature_public_key<V>;
 * opaque signature_private_key<V>}. The result holds the private key: the caller wipes it.
 */
public record SignatureIdentity(Credential credential, SignatureKeyPair keyPair, CipherSuite cipherSuite) {
    static final int FORMAT = 1;

    public SignatureIdentity {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
    }

    /** A fresh key pair for {@code suite} bound to {@code credential}. */
    public static SignatureIdentity generate(CryptoProvider provider, CipherSuite suite, Credential credential) {
        return new SignatureIdentity(credential, provider.suite(suite).generateSignatureKeyPair(), suite);
    }

    /** A fresh key pair with a basic credential holding {@code identity}. */
    public static SignatureIdentity generateBasic(CryptoProvider provider, CipherSuite suite, Bytes identity) {
        return generate(provider, suite, new Credential.BasicCredential(identity));
    }

    public Bytes signaturePublicKey() {
        return keyPair.publicKey();
    }

    public Secret signaturePrivateKey() {
        return keyPair.privateKey();
    }

    /** SignWithLabel (RFC 9420 §5.1.2) with this identity's private key. */
    public byte[] signWithLabel(SuiteCrypto crypto, String label, byte[] content) throws CryptoException {
        if (crypto.suite() != cipherSuite) {
            throw new IllegalArgumentException("identity is for " + cipherSuite + ", not " + crypto.suite());
        }
        return crypto.signWithLabel(keyPair.privateKey(), label, content);
    }

    /** Whether the private key really belongs to the public key (for identities loaded from storage). */
    public boolean isConsistent(CryptoProvider provider) {
        try {
            return provider.suite(cipherSuite).signaturePublicKey(keyPair.privateKey()).equals(keyPair.publicKey());
        } catch (CryptoException e) {
            return false;
        }
    }

    /** The storage encoding described in the class comment; it contains the private key. */
    public byte[] encode() {
        TlsWriter w = new TlsWriter(256);
        w.uint8(FORMAT).uint16(cipherSuite.id());
        credential.writeTo(w);
        w.opaque(keyPair.publicKey());
        byte[] priv = keyPair.privateKey().copy();
        try {
            w.opaque(priv);
            return w.toByteArray();
        } finally {
            java.util.Arrays.fill(priv, (byte) 0);
        }
    }

    public static SignatureIdentity decode(byte[] data) throws DecodeException {
        return TlsReader.decode(data, SignatureIdentity::readFrom);
    }

    static SignatureIdentity readFrom(TlsReader r) throws DecodeException {
        int format = r.uint8();
        if (format != FORMAT) {
            throw new DecodeException("unknown SignatureIdentity storage format " + format);
        }
        int suiteId = r.uint16();
        CipherSuite suite = CipherSuite.fromId(suiteId)
                .orElseThrow(() -> new DecodeException("unknown cipher suite " + suiteId));
        Credential credential = Credential.readFrom(r);
        Bytes publicKey = r.opaque();
        Secret privateKey = Secret.wrap(r.opaqueArray());
        return new SignatureIdentity(credential, new SignatureKeyPair(privateKey, publicKey), suite);
    }

    @Override
    public String toString() {
        return "SignatureIdentity[" + cipherSuite + ", " + credential + ", public key " + keyPair.publicKey()
                + ", private key redacted]";
    }
}
