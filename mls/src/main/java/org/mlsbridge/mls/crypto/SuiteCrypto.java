package org.mlsbridge.mls.crypto;

import java.nio.charset.StandardCharsets;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * The cryptographic operations of one cipher suite. Implementations are stateless and safe to
 * share between threads: every call creates its own engines.
 *
 * <p>The primitives are abstract; the labeled operations of RFC 9420 (§5.1.3, §5.1.2, §5.2, §8,
 * §9) are defined once here in terms of them.
 */
public interface SuiteCrypto {
    /** The "MLS 1.0 " prefix of every label (RFC 9420 §5.1.3). */
    String LABEL_PREFIX = "MLS 1.0 ";

    CipherSuite suite();

    // ---- hash, KDF, MAC -------------------------------------------------------------------

    /** Nh: output length of the suite's hash and KDF. */
    default int hashLength() {
        return suite().kdf().hashLength();
    }

    byte[] hash(byte[] data);

    /** HMAC with the suite's hash (membership tag, confirmation tag). */
    byte[] mac(byte[] key, byte[] data);

    /** HKDF-Extract (RFC 5869); an empty salt means Nh zero bytes. */
    byte[] kdfExtract(byte[] salt, byte[] ikm);

    /** HKDF-Expand (RFC 5869). */
    byte[] kdfExpand(byte[] prk, byte[] info, int length);

    // ---- AEAD --------------------------------------------------------------------------------

    default int aeadKeyLength() {
        return suite().aead().keyLength();
    }

    default int aeadNonceLength() {
        return suite().aead().nonceLength();
    }

    byte[] aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext);

    byte[] aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException;

    // ---- HPKE (RFC 9180 base mode) -----------------------------------------------------------

    HpkeKeyPair generateHpkeKeyPair();

    /** DeriveKeyPair of RFC 9180 §7.1.3. */
    HpkeKeyPair deriveHpkeKeyPair(byte[] ikm);

    /** The serialized public key belonging to a serialized private key. */
    Bytes hpkePublicKey(Secret privateKey) throws CryptoException;

    HpkeCiphertext hpkeSeal(Bytes publicKey, byte[] info, byte[] aad, byte[] plaintext) throws CryptoException;

    byte[] hpkeOpen(Secret privateKey, HpkeCiphertext ciphertext, byte[] info, byte[] aad) throws CryptoException;

    /** SetupBaseS then Export: the sender side of external init (RFC 9420 §8.3). */
    HpkeExport hpkeExportSender(Bytes publicKey, byte[] info, byte[] exporterContext, int length) throws CryptoException;

    /** SetupBaseR then Export: the receiver side of external init. */
    Secret hpkeExportReceiver(Secret privateKey, Bytes kemOutput, byte[] info, byte[] exporterContext, int length)
            throws CryptoException;

    // ---- signatures --------------------------------------------------------------------------

    SignatureKeyPair generateSignatureKeyPair();

    /** The public key belonging to a private signature key. */
    Bytes signaturePublicKey(Secret privateKey) throws CryptoException;

    /** ECDSA signatures are DER-encoded (RFC 9420 §5.1.2). */
    byte[] sign(Secret privateKey, byte[] message) throws CryptoException;

    /** False for a wrong or malformed signature; a malformed key is a {@link CryptoException}. */
    boolean verify(Bytes publicKey, byte[] message, byte[] signature) throws CryptoException;

    // ---- labeled operations of RFC 9420 -----------------------------------------------------

    /** ExpandWithLabel (§5.1.3). */
    default byte[] expandWithLabel(byte[] secret, String label, byte[] context, int length) {
        TlsWriter info = new TlsWriter(label.length() + context.length + 16);
        info.uint16(length);
        info.opaque((LABEL_PREFIX + label).getBytes(StandardCharsets.US_ASCII));
        info.opaque(context);
        return kdfExpand(secret, info.toByteArray(), length);
    }

    /** DeriveSecret (§5.1.3). */
    default byte[] deriveSecret(byte[] secret, String label) {
        return expandWithLabel(secret, label, new byte[0], hashLength());
    }

    /** DeriveTreeSecret (§9). */
    default byte[] deriveTreeSecret(byte[] secret, String label, long generation, int length) {
        byte[] context = new TlsWriter(4).uint32(generation).toByteArray();
        return expandWithLabel(secret, label, context, length);
    }

    private static byte[] labeledContent(String label, byte[] content) {
        TlsWriter w = new TlsWriter(label.length() + content.length + 16);
        w.opaque((LABEL_PREFIX + label).getBytes(StandardCharsets.US_ASCII));
        w.opaque(content);
        return w.toByteArray();
    }

    /** SignWithLabel (§5.1.2). */
    default byte[] signWithLabel(Secret privateKey, String label, byte[] content) throws CryptoException {
        return sign(privateKey, labeledContent(label, content));
    }

    /** VerifyWithLabel (§5.1.2). */
    default boolean verifyWithLabel(Bytes publicKey, String label, byte[] content, byte[] signature)
            throws CryptoException {
        return verify(publicKey, labeledContent(label, content), signature);
    }

    /** EncryptWithLabel (§5.1.3): SealBase with an EncryptContext as info and empty aad. */
    default HpkeCiphertext encryptWithLabel(Bytes publicKey, String label, byte[] context, byte[] plaintext)
            throws CryptoException {
        return hpkeSeal(publicKey, labeledContent(label, context), new byte[0], plaintext);
    }

    /** DecryptWithLabel (§5.1.3). */
    default byte[] decryptWithLabel(Secret privateKey, String label, byte[] context, HpkeCiphertext ciphertext)
            throws CryptoException {
        return hpkeOpen(privateKey, ciphertext, labeledContent(label, context), new byte[0]);
    }

    /** RefHash (§5.2); {@code label} is used as given, without the "MLS 1.0 " prefix. */
    default Bytes refHash(String label, byte[] value) {
        TlsWriter w = new TlsWriter(label.length() + value.length + 16);
        w.opaque(label.getBytes(StandardCharsets.US_ASCII));
        w.opaque(value);
        return Bytes.wrap(hash(w.toByteArray()));
    }

    /** MakeKeyPackageRef (§5.2) over an encoded KeyPackage. */
    default Bytes makeKeyPackageRef(byte[] encodedKeyPackage) {
        return refHash("MLS 1.0 KeyPackage Reference", encodedKeyPackage);
    }

    /** MakeProposalRef (§5.2) over an encoded AuthenticatedContent. */
    default Bytes makeProposalRef(byte[] encodedAuthenticatedContent) {
        return refHash("MLS 1.0 Proposal Reference", encodedAuthenticatedContent);
    }
}
