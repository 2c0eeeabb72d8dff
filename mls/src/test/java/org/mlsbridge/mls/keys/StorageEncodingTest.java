package org.mlsbridge.mls.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;

/**
 * The storage encodings are a persistent format: golden bytes pin them (a change that would
 * break existing databases fails here), and hostile bytes only ever give DecodeException.
 */
class StorageEncodingTest {
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

    static KeyPackageBundle goldenBundle() {
        LeafNode leaf = new LeafNode(Bytes.fromHex("e1e1"), Bytes.fromHex("5151"),
                new Credential.BasicCredential(Bytes.fromHex("616c")),
                new Capabilities(List.of(1), List.of(1), List.of(10), List.of(), List.of(1)), LeafNodeSource.KEY_PACKAGE,
                Optional.of(new Lifetime(1, 2)), Optional.empty(), List.of(), Bytes.fromHex("aa"));
        KeyPackage kp = new KeyPackage(1, SUITE, Bytes.fromHex("1717"), leaf,
                List.of(new Extension(Extension.LAST_RESORT, Bytes.EMPTY)), Bytes.fromHex("bb"));
        return new KeyPackageBundle(kp, Secret.of(new byte[] {1, 2}), Secret.of(new byte[] {3}));
    }

    static SignatureIdentity goldenIdentity() {
        return new SignatureIdentity(new Credential.BasicCredential(Bytes.fromHex("616c")),
                new SignatureKeyPair(Secret.of(new byte[] {9, 9}), Bytes.fromHex("5151")), SUITE);
    }

    static final String GOLDEN_BUNDLE = "01" // format
            + "0001" + "0001" + "021717" // version, suite, init_key
            + "02e1e1" + "025151" + "0001" + "02616c" // encryption_key, signature_key, basic credential
            + "020001" + "020001" + "02000a" + "00" + "020001" // capabilities: uint16 vectors
            + "01" + "0000000000000001" + "0000000000000002" + "00" + "01aa" // source, lifetime, extensions, sig
            + "03" + "000a00" + "01bb" // KeyPackage extensions (last_resort), signature
            + "020102" + "0103"; // init and encryption private keys

    static final String GOLDEN_IDENTITY = "01" + "0001" + "0001" + "02616c" + "025151" + "020909";

    @Test
    void bundleFormatIsPinned() throws DecodeException {
        assertThat(Bytes.wrap(goldenBundle().encode()).hex()).isEqualTo(GOLDEN_BUNDLE);
        KeyPackageBundle back = KeyPackageBundle.decode(Bytes.fromHex(GOLDEN_BUNDLE).toByteArray());
        assertThat(back.keyPackage()).isEqualTo(goldenBundle().keyPackage());
        assertThat(back.initPrivateKey().copy()).containsExactly(1, 2);
        assertThat(back.encryptionPrivateKey().copy()).containsExactly(3);
        assertThat(back.isLastResort()).isTrue();
    }

    @Test
    void identityFormatIsPinned() throws DecodeException {
        assertThat(Bytes.wrap(goldenIdentity().encode()).hex()).isEqualTo(GOLDEN_IDENTITY);
        SignatureIdentity back = SignatureIdentity.decode(Bytes.fromHex(GOLDEN_IDENTITY).toByteArray());
        assertThat(back.credential()).isEqualTo(goldenIdentity().credential());
        assertThat(back.signaturePublicKey()).isEqualTo(Bytes.fromHex("5151"));
        assertThat(back.signaturePrivateKey().copy()).containsExactly(9, 9);
    }

    @Property(tries = 300)
    void randomBytesOnlyFailWithDecodeException(@ForAll @Size(max = 200) byte[] data) {
        decodesOrDecodeException(data);
    }

    @Property(tries = 500)
    void mutatedGoldenBytesOnlyFailWithDecodeException(@ForAll @IntRange(min = 0, max = 200) int position,
            @ForAll byte value, @ForAll @IntRange(min = 0, max = 200) int cut) {
        for (String golden : List.of(GOLDEN_BUNDLE, GOLDEN_IDENTITY)) {
            byte[] data = Bytes.fromHex(golden).toByteArray();
            data[position % data.length] = value;
            decodesOrDecodeException(data);
            decodesOrDecodeException(java.util.Arrays.copyOf(data, Math.min(cut, data.length)));
        }
    }

    private static void decodesOrDecodeException(byte[] data) {
        try {
            KeyPackageBundle.decode(data);
        } catch (DecodeException expected) {
            // fine
        }
        try {
            SignatureIdentity.decode(data);
        } catch (DecodeException expected) {
            // fine
        }
    }
}
