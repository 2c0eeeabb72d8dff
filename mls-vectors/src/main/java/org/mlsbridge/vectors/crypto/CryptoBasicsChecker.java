package org.mlsbridge.vectors.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureScheme;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * crypto-basics.json: RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel /
 * VerifyWithLabel and EncryptWithLabel / DecryptWithLabel (RFC 9420 §5). Signatures and HPKE are
 * randomized (or implementation-specific), so besides checking the given values we also run our
 * own sign-then-verify and encrypt-then-decrypt with the vector's keys.
 */
public final class CryptoBasicsChecker implements VectorChecker {
    private final CryptoProvider provider;

    public CryptoBasicsChecker() {
        this(CryptoProvider.defaultProvider());
    }

    public CryptoBasicsChecker(CryptoProvider provider) {
        this.provider = provider;
    }

    @Override
    public String kind() {
        return "crypto-basics";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "cipher_suite", "ref_hash", "expand_with_label", "derive_secret", "sign_with_label");
    }

    @Override
    public void check(JsonNode c) throws CryptoException {
        SuiteCrypto crypto = provider.suite(Json.suite(c));
        refHash(crypto, Json.field(c, "ref_hash"));
        expandWithLabel(crypto, Json.field(c, "expand_with_label"));
        deriveSecret(crypto, Json.field(c, "derive_secret"));
        deriveTreeSecret(crypto, Json.field(c, "derive_tree_secret"));
        signWithLabel(crypto, Json.field(c, "sign_with_label"));
        encryptWithLabel(crypto, Json.field(c, "encrypt_with_label"));
    }

    private static void refHash(SuiteCrypto crypto, JsonNode v) {
        Check.bytes("ref_hash.out", Json.hex(v, "out"),
                crypto.refHash(Json.text(v, "label"), Json.hex(v, "value")));
    }

    private static void expandWithLabel(SuiteCrypto crypto, JsonNode v) {
        Check.bytes("expand_with_label.out", Json.hex(v, "out"),
                crypto.expandWithLabel(Json.hex(v, "secret"), Json.text(v, "label"), Json.hex(v, "context"),
                        (int) Json.number(v, "length")));
    }

    private static void deriveSecret(SuiteCrypto crypto, JsonNode v) {
        Check.bytes("derive_secret.out", Json.hex(v, "out"),
                crypto.deriveSecret(Json.hex(v, "secret"), Json.text(v, "label")));
    }

    private static void deriveTreeSecret(SuiteCrypto crypto, JsonNode v) {
        Check.bytes("derive_tree_secret.out", Json.hex(v, "out"),
                crypto.deriveTreeSecret(Json.hex(v, "secret"), Json.text(v, "label"),
                        Json.number(v, "generation"), (int) Json.number(v, "length")));
    }

    private static void signWithLabel(SuiteCrypto crypto, JsonNode v) throws CryptoException {
        Secret priv = Secret.wrap(Json.hex(v, "priv"));
        Bytes pub = Json.bytes(v, "pub");
        String label = Json.text(v, "label");
        byte[] content = Json.hex(v, "content");
        Check.bytes("sign_with_label: public key derived from priv", pub, crypto.signaturePublicKey(priv));
        Check.isTrue("sign_with_label: given signature does not verify",
                crypto.verifyWithLabel(pub, label, content, Json.hex(v, "signature")));
        byte[] ours = crypto.signWithLabel(priv, label, content);
        SignatureScheme scheme = crypto.suite().signature();
        if (scheme == SignatureScheme.ED25519 || scheme == SignatureScheme.ED448) {
            // EdDSA is deterministic, so the signature itself must match.
            Check.bytes("sign_with_label: EdDSA signature", Json.hex(v, "signature"), ours);
        }
        Check.isTrue("sign_with_label: our signature does not verify",
                crypto.verifyWithLabel(pub, label, content, ours));
        Check.isTrue("sign_with_label: our signature verifies under another label",
                !crypto.verifyWithLabel(pub, label + "x", content, ours));
    }

    private static void encryptWithLabel(SuiteCrypto crypto, JsonNode v) throws CryptoException {
        Secret priv = Secret.wrap(Json.hex(v, "priv"));
        Bytes pub = Json.bytes(v, "pub");
        String label = Json.text(v, "label");
        byte[] context = Json.hex(v, "context");
        byte[] plaintext = Json.hex(v, "plaintext");
        Check.bytes("encrypt_with_label: public key derived from priv", pub, crypto.hpkePublicKey(priv));
        HpkeCiphertext given = new HpkeCiphertext(Json.bytes(v, "kem_output"), Json.bytes(v, "ciphertext"));
        Check.bytes("encrypt_with_label: decrypt given ciphertext", plaintext,
                crypto.decryptWithLabel(priv, label, context, given));
        HpkeCiphertext ours = crypto.encryptWithLabel(pub, label, context, plaintext);
        Check.bytes("encrypt_with_label: decrypt our ciphertext", plaintext,
                crypto.decryptWithLabel(priv, label, context, ours));
    }
}
