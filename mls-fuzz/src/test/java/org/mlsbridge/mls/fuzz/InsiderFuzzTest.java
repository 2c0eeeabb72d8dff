package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * A malicious member: the fuzzer writes the proposal (first byte even) or commit (odd) and the
 * harness frames it as Alice with a valid signature and membership tag, so the input reaches the
 * §12 rules, the proposal cache, UpdatePath merging and decryption and the key schedule rather
 * than stopping at authentication. Commits carry a dummy confirmation tag, the last check.
 * Bob rejects with an {@link MlsException} (state unchanged) or accepts, and then still follows
 * Alice's honest messages.
 */
class InsiderFuzzTest {
    static Stream<Arguments> seeds() {
        List<Arguments> out = new ArrayList<>();
        List<MlsMessage> honest = LiveGroup.get().honest;
        for (int i = 0; i < honest.size(); i++) {
            if (honest.get(i).body() instanceof PublicMessage pm) {
                switch (pm.content().content()) {
                    case Content.ProposalContent p -> out.add(VectorSeeds.named("live proposal " + i,
                            prefixed(0, p.proposal().toByteArray())));
                    case Content.CommitContent c -> out.add(VectorSeeds.named("live commit " + i,
                            prefixed(1, c.commit().toByteArray())));
                    case Content.Application a -> { }
                }
            }
        }
        return Stream.concat(out.stream(),
                VectorSeeds.mapped("messages.json", 2, "commit", c -> prefixed(1, VectorSeeds.hex(c, "commit"))));
    }

    private static byte[] prefixed(int mode, byte[] data) {
        byte[] out = new byte[data.length + 1];
        out[0] = (byte) mode;
        System.arraycopy(data, 0, out, 1, data.length);
        return out;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void signedGarbageIsRejectedOrHarmless(byte[] input) throws MlsException {
        if (input.length < 1) {
            return;
        }
        LiveGroup live = LiveGroup.get();
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        Content content;
        try {
            content = (input[0] & 1) == 0 ? new Content.ProposalContent(TlsReader.decode(body, Proposal::readFrom))
                    : new Content.CommitContent(TlsReader.decode(body, Commit::readFrom));
        } catch (MlsException undecodable) {
            return;
        }
        MlsMessage message = asAlice(live.aliceSigner, content);
        MlsGroup bob = live.bob();
        GroupState before = bob.state();
        try {
            bob.process(message);
        } catch (MlsException rejected) {
            assertThat(bob.state()).as("state after a rejected message").isSameAs(before);
        }
        live.assertBobStillWorks(bob);
    }

    private static MlsMessage asAlice(GroupState alice, Content content) throws MlsException {
        SuiteCrypto crypto = alice.crypto();
        FramedContent fc = new FramedContent(alice.groupId(), alice.epoch(), new Sender.Member(LeafIndex.of(0)),
                Bytes.EMPTY, content);
        Bytes signature = ContentSignatures.sign(crypto, alice.signaturePrivateKey(), WireFormat.PUBLIC_MESSAGE, fc,
                alice.context());
        Optional<Bytes> tag = content instanceof Content.CommitContent
                ? Optional.of(Bytes.wrap(new byte[crypto.hashLength()])) : Optional.empty();
        AuthenticatedContent signed = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, tag));
        return MlsMessage.of(new PublicMessageProtection(crypto).protect(signed, alice.context(),
                Optional.of(alice.epochSecrets().membershipKey())));
    }
}
