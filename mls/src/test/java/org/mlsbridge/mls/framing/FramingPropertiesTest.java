package org.mlsbridge.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.tree.LeafIndex;

/** Any application payload, authenticated data, sender and padding block survive a PrivateMessage round trip. */
class FramingPropertiesTest {
    private static final SuiteCrypto CRYPTO =
            CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    private static final SignatureKeyPair KEY = CRYPTO.generateSignatureKeyPair();
    private static final GroupContext CONTEXT = new GroupContext(GroupContext.MLS10, CRYPTO.suite(),
            Bytes.of(new byte[] {1, 2}), 1, Bytes.wrap(new byte[32]), Bytes.wrap(new byte[32]), List.of());

    @Property(tries = 60)
    void privateMessagesRoundTrip(@ForAll @Size(max = 600) byte[] payload, @ForAll @Size(max = 40) byte[] aad,
            @ForAll @IntRange(min = 0, max = 7) int leaf, @ForAll @IntRange(min = 1, max = 300) int block)
            throws MlsException {
        Secret encryptionSecret = Secret.wrap(new byte[32]);
        EpochFramingKeys sender = new EpochFramingKeys(CONTEXT, Secret.wrap(new byte[32]), Secret.wrap(new byte[32]),
                new SecretTree(CRYPTO, encryptionSecret, 8));
        EpochFramingKeys receiver = new EpochFramingKeys(CONTEXT, Secret.wrap(new byte[32]), Secret.wrap(new byte[32]),
                new SecretTree(CRYPTO, encryptionSecret, 8));
        MessageFraming framing = new MessageFraming(CRYPTO, PaddingPolicy.toMultipleOf(block));
        FramedContent content = new FramedContent(CONTEXT.groupId(), CONTEXT.epoch(), new Sender.Member(LeafIndex.of(leaf)),
                Bytes.of(aad), new Content.Application(Bytes.of(payload)));

        MlsMessage wire = MlsMessage.decode(
                framing.protect(WireFormat.PRIVATE_MESSAGE, content, KEY.privateKey(), sender).encode());
        AuthenticatedContent back = framing.unprotect(wire, receiver, c -> Optional.of(KEY.publicKey()));
        assertThat(back.content()).isEqualTo(content);
    }
}
