package org.mlsbridge.mls.crypto;

/** TLS SignatureScheme values (RFC 8446 §4.2.3) used by the MLS cipher suites. */
public enum SignatureScheme {
    ECDSA_SECP256R1_SHA256(0x0403),
    ECDSA_SECP384R1_SHA384(0x0503),
    ECDSA_SECP521R1_SHA512(0x0603),
    ED25519(0x0807),
    ED448(0x0808);

    private final int id;

    SignatureScheme(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }
}
