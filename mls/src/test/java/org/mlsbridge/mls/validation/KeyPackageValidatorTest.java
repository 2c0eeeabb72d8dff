package org.mlsbridge.mls.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.KeyPackage;

class KeyPackageValidatorTest {
    private final Fixture f = Fixture.group(2);
    private final KeyPackageValidator validator =
            new KeyPackageValidator(new LeafNodeValidator(CredentialValidator.basic(), Fixture.CLOCK));

    private void assertRejects(KeyPackage kp, String message) {
        assertThatThrownBy(() -> validator.validate(kp, f.context, f.tree, Set.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void builderOutputPassesForEverySuite(CipherSuite suite) throws Exception {
        Fixture g = Fixture.group(suite, 2);
        SignatureIdentity id = g.identity("new");
        KeyPackage plain = KeyPackageBuilder.forIdentity(id).clock(Fixture.CLOCK).build().keyPackage();
        KeyPackage lastResort = KeyPackageBuilder.forIdentity(g.identity("lr")).clock(Fixture.CLOCK)
                .lastResort(true).leafExtensions(List.of(new Extension(0xff10, Bytes.fromHex("01"))))
                .build().keyPackage();
        for (KeyPackage kp : List.of(plain, lastResort)) {
            assertThatCode(() -> validator.validate(kp, g.context, g.tree, Set.of())).doesNotThrowAnyException();
            assertThatCode(() -> validator.validateStandalone(kp, g.crypto)).doesNotThrowAnyException();
        }
    }

    @Test
    void versionMustMatch() {
        SignatureIdentity id = f.identity("new");
        KeyPackage kp = f.keyPackage(id, null);
        KeyPackage v2 = f.resign(id, new KeyPackage(2, kp.cipherSuite(), kp.initKey(), kp.leafNode(), kp.extensions(),
                kp.signature()));
        assertRejects(v2, "§10.1: KeyPackage version 2 does not match the group's 1");
        assertThatThrownBy(() -> validator.validateStandalone(v2, f.crypto)).hasMessageContaining("is not mls10");
    }

    @Test
    void suiteMustMatch() {
        Fixture other = Fixture.group(CipherSuite.MLS_128_DHKEMP256_AES128GCM_SHA256_P256, 1);
        assertRejects(other.keyPackage("p256"), "§10.1: KeyPackage cipher suite");
        assertThatThrownBy(() -> validator.validateStandalone(other.keyPackage("p256"), f.crypto))
                .hasMessageContaining("§10.1: KeyPackage cipher suite");
    }

    @Test
    void signatureMustVerify() {
        KeyPackage kp = f.keyPackage("new");
        assertRejects(kp.withSignature(Bytes.fromHex("00".repeat(64))), "§10.1: the KeyPackage signature does not verify");
        // Signed by someone else.
        SignatureIdentity mallory = f.identity("mallory");
        KeyPackage forged = kp.withSignature(f.resign(mallory, kp).signature());
        assertRejects(forged, "§10.1: the KeyPackage signature does not verify");
    }

    @Test
    void initKeyMustDifferFromEncryptionKey() {
        SignatureIdentity id = f.identity("new");
        KeyPackage kp = f.keyPackage(id, null);
        KeyPackage same = f.resign(id, new KeyPackage(1, kp.cipherSuite(), kp.leafNode().encryptionKey(),
                kp.leafNode(), kp.extensions(), kp.signature()));
        assertRejects(same, "§10.1: init_key must differ from the leaf's encryption_key");
    }

    @Test
    void keysMustBeUsableForTheSuite() {
        SignatureIdentity id = f.identity("new");
        KeyPackage kp = f.keyPackage(id, null);
        Bytes smallOrder = Bytes.wrap(new byte[32]); // X25519 zero point: all-zero shared secret
        KeyPackage badInit = f.resign(id, new KeyPackage(1, kp.cipherSuite(), smallOrder, kp.leafNode(),
                kp.extensions(), kp.signature()));
        assertRejects(badInit, "§10: init_key is not a valid HPKE public key");
        KeyPackage badLeafKey = f.resign(id, new KeyPackage(1, kp.cipherSuite(), kp.initKey(),
                Fixture.with(kp.leafNode(), Bytes.fromHex("0102"), kp.leafNode().signatureKey(),
                        kp.leafNode().credential(), kp.leafNode().capabilities(), List.of()), kp.extensions(),
                kp.signature()));
        assertRejects(badLeafKey, "§7.3: the leaf's encryption_key is not a valid HPKE public key");
        assertThatThrownBy(() -> validator.validateStandalone(badLeafKey, f.crypto))
                .hasMessageContaining("§7.3: the leaf's encryption_key is not a valid HPKE public key");
        KeyPackage badSigKey = new KeyPackage(1, kp.cipherSuite(), kp.initKey(), Fixture.with(kp.leafNode(),
                kp.leafNode().encryptionKey(), Bytes.fromHex("01"), kp.leafNode().credential(),
                kp.leafNode().capabilities(), List.of()), kp.extensions(), kp.signature());
        assertRejects(badSigKey, "§10.1");
    }

    /**
     * §13.4: receivers ignore unknown KeyPackage extensions; §10.1 does not ask for them to be
     * listed in the leaf's capabilities (that is the creator's duty), so KeyPackages of other
     * implementations with last_resort, application or GREASE extensions unlisted are valid.
     * Duplicates are not.
     */
    @Test
    void keyPackageExtensionsNeedNotBeListedButMustBeUnique() {
        SignatureIdentity id = f.identity("new");
        KeyPackage kp = f.keyPackage(id, null);
        assertThat(kp.leafNode().capabilities().extensions()).doesNotContain(0xff20, 0x1A1A);
        KeyPackage unlisted = f.resign(id, new KeyPackage(1, kp.cipherSuite(), kp.initKey(), kp.leafNode(),
                List.of(new Extension(0xff20, Bytes.EMPTY), new Extension(0x1A1A, Bytes.fromHex("00"))),
                kp.signature()));
        assertThatCode(() -> validator.validate(unlisted, f.context, f.tree, Set.of())).doesNotThrowAnyException();
        assertThatCode(() -> validator.validateStandalone(unlisted, f.crypto)).doesNotThrowAnyException();
        KeyPackage dup = f.resign(id, new KeyPackage(1, kp.cipherSuite(), kp.initKey(), kp.leafNode(),
                List.of(new Extension(Extension.LAST_RESORT, Bytes.EMPTY), new Extension(Extension.LAST_RESORT,
                        Bytes.EMPTY)), kp.signature()));
        assertRejects(dup, "§13.4");
    }

    @Test
    void leafMustComeFromAKeyPackage() {
        SignatureIdentity id = f.identity("m0");
        KeyPackage kp = f.keyPackage(id, null);
        KeyPackage withUpdateLeaf = new KeyPackage(1, kp.cipherSuite(), kp.initKey(), f.updateLeaf(0), kp.extensions(),
                kp.signature());
        assertRejects(withUpdateLeaf, "§10: the leaf of a KeyPackage must have leaf_node_source key_package");
    }

    @Test
    void leafIsValidatedAgainstTheGroup() {
        // A KeyPackage of a client already in the group (same signature key as leaf 1).
        assertRejects(f.keyPackage(f.ids.get(1), null), "§7.3: the leaf's signature_key is already used by leaf 1");
        assertThatCode(() -> validator.validate(f.keyPackage(f.ids.get(1), null), f.context, f.tree,
                Set.of(Fixture.leaf(1)))).doesNotThrowAnyException();
    }

    @Test
    void standaloneChecksTheCredential() {
        KeyPackage anonymous = f.keyPackage(f.identity(""), null);
        assertThatThrownBy(() -> validator.validateStandalone(anonymous, f.crypto))
                .hasMessageContaining("§5.3.1: the credential validator rejects");
    }
}
