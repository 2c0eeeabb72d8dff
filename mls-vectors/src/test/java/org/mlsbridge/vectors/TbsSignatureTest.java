package org.mlsbridge.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * The TBS encodings are right if real signatures verify over them: KeyPackageTBS and the
 * key_package-source LeafNodeTBS of the KeyPackages in the vector files, and GroupInfoTBS of the
 * messages.json GroupInfos (signed by the leaf its signer field names in the case's ratchet tree).
 */
class TbsSignatureTest {
    private static int verifyAll(String file, String field) throws Exception {
        int n = 0;
        for (JsonNode c : VectorTests.load(file)) {
            MlsMessage m = MlsMessage.decode(Json.bytes(c, field));
            if (!(m.body() instanceof KeyPackage kp)) {
                throw new AssertionError(field + " is not a KeyPackage");
            }
            SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(kp.cipherSuite());
            Bytes key = kp.leafNode().signatureKey();
            assertThat(crypto.verifyWithLabel(key, KeyPackage.SIGNATURE_LABEL, kp.toBeSigned(),
                    kp.signature().toByteArray())).as(file + " KeyPackage signature").isTrue();
            assertThat(crypto.verifyWithLabel(key, LeafNode.SIGNATURE_LABEL, kp.leafNode().toBeSigned(null, null),
                    kp.leafNode().signature().toByteArray())).as(file + " LeafNode signature").isTrue();
            n++;
        }
        return n;
    }

    @Test
    void messagesVectorGroupInfosVerify() throws Exception {
        int n = 0;
        for (JsonNode c : VectorTests.load("messages.json")) {
            GroupInfo gi = (GroupInfo) MlsMessage.decode(Json.bytes(c, "mls_group_info")).body();
            RatchetTreeExtension tree = TlsReader.decode(Json.bytes(c, "ratchet_tree"), RatchetTreeExtension::readFrom);
            LeafNode signer = (LeafNode) tree.nodes().get(gi.signer().toNode().value()).orElseThrow();
            SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(gi.groupContext().cipherSuite());
            assertThat(crypto.verifyWithLabel(signer.signatureKey(), GroupInfo.SIGNATURE_LABEL, gi.toBeSigned(),
                    gi.signature().toByteArray())).as("GroupInfo signature").isTrue();
            n++;
        }
        assertThat(n).isEqualTo(300);
    }

    @Test
    void welcomeVectorKeyPackageRefsNameTheirWelcomeEntry() throws Exception {
        for (JsonNode c : VectorTests.load("welcome.json")) {
            KeyPackage kp = (KeyPackage) MlsMessage.decode(Json.bytes(c, "key_package")).body();
            Welcome welcome = (Welcome) MlsMessage.decode(Json.bytes(c, "welcome")).body();
            Bytes ref = kp.ref(CryptoProvider.defaultProvider().suite(kp.cipherSuite()));
            assertThat(welcome.secretsFor(ref)).as("Welcome entry for the KeyPackageRef").isPresent();
        }
    }

    @Test
    void welcomeVectorKeyPackagesVerify() throws Exception {
        assertThat(verifyAll("welcome.json", "key_package")).isPositive();
    }

    @Test
    void messagesVectorKeyPackagesVerify() throws Exception {
        assertThat(verifyAll("messages.json", "mls_key_package")).isPositive();
    }
}
