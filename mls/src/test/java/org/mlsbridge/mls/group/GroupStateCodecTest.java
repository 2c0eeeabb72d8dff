package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

class GroupStateCodecTest {
    /** Bob with a cached proposal, a consumed message, a past epoch and a late message still to read. */
    private static final class Busy {
        final GroupFixture f;
        final MlsMessage late;
        final MlsMessage consumed;

        Busy() throws MlsException {
            f = new GroupFixture();
            consumed = TestCommitter.application(f.aliceState, "read");
            f.bobGroup.process(consumed);
            late = TestCommitter.application(f.aliceState, "late");
            GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
            f.bobGroup.process(f.aliceProposes(new Proposal.Remove(LeafIndex.of(2))));
        }
    }

    @Test
    void roundTripKeepsEverything() throws MlsException {
        Busy b = new Busy();
        GroupState state = b.f.bobGroup.state();
        byte[] encoded = GroupStateCodec.encode(state);
        GroupState decoded = GroupStateCodec.decode(encoded, GroupConfig.DEFAULT);
        assertThat(summary(decoded)).isEqualTo(summary(state));
        assertThat(GroupStateCodec.encode(decoded)).isEqualTo(encoded);
    }

    @Test
    void decodedStateKeepsWorking() throws MlsException {
        Busy b = new Busy();
        MlsGroup resumed = MlsGroup.resume(GroupStateCodec.decode(GroupStateCodec.encode(b.f.bobGroup.state()),
                GroupConfig.DEFAULT), GroupConfig.DEFAULT, PskLookup.none());
        assertThat(((ApplicationMessage) resumed.process(b.late)).epoch()).isEqualTo(1);
        assertThatThrownBy(() -> resumed.process(b.consumed)).isInstanceOf(MlsException.class)
                .hasMessageContaining("replay");
        GroupFixture.processAndMerge(resumed, b.f.aliceCommits(List.of(
                new org.mlsbridge.mls.message.ProposalOrRef.ByReference(
                        resumed.state().proposals().keySet().iterator().next()))));
        assertThat(resumed.epochAuthenticator()).isEqualTo(b.f.aliceState.epochAuthenticator());
        ApplicationMessage m = (ApplicationMessage) resumed.process(TestCommitter.application(b.f.aliceState, "x"));
        assertThat(m.sender()).isEqualTo(LeafIndex.of(0));
    }

    @Test
    void garbageIsADecodeException() {
        Random random = new Random(42);
        for (int n : new int[] {0, 1, 2, 17, 300, 5000}) {
            byte[] junk = new byte[n];
            random.nextBytes(junk);
            assertThatThrownBy(() -> GroupStateCodec.decode(junk, GroupConfig.DEFAULT))
                    .isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void otherVersionsAreRejected() throws MlsException {
        byte[] encoded = GroupStateCodec.encode(new Busy().f.bobGroup.state());
        encoded[1] = 9;
        assertThatThrownBy(() -> GroupStateCodec.decode(encoded, GroupConfig.DEFAULT))
                .isInstanceOf(DecodeException.class).hasMessageContaining("version");
    }

    @Test
    void truncationsAndBitFlipsNeverEscapeAsOtherExceptions() throws MlsException {
        byte[] encoded = GroupStateCodec.encode(new Busy().f.bobGroup.state());
        for (int len = 0; len < encoded.length; len += 1 + len / 50) {
            byte[] cut = Arrays.copyOf(encoded, len);
            assertThatThrownBy(() -> GroupStateCodec.decode(cut, GroupConfig.DEFAULT))
                    .isInstanceOf(DecodeException.class);
        }
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] flipped = encoded.clone();
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            try {
                GroupStateCodec.decode(flipped, GroupConfig.DEFAULT);
            } catch (DecodeException expected) {
                // a flip inside key material decodes fine; a flip in structure must be this exception
            }
        }
    }

    /**
     * Only the encryption_secret is ever stored as consumed (the secret tree replaced it); a blob
     * that marks another epoch secret consumed is corrupt and must not load into a state whose
     * first use throws (found by GroupStateFuzzTest, input in mls-fuzz's GroupStateFuzzTestInputs).
     */
    @Test
    void onlyTheEncryptionSecretMayBeStoredAsConsumed() throws MlsException {
        GroupState copy = GroupStateCodec.decode(GroupStateCodec.encode(new Busy().f.bobGroup.state()),
                GroupConfig.DEFAULT);
        copy.epochSecrets().epochAuthenticator().destroy();
        byte[] encoded = GroupStateCodec.encode(copy);
        assertThatThrownBy(() -> GroupStateCodec.decode(encoded, GroupConfig.DEFAULT))
                .isInstanceOf(DecodeException.class).hasMessageContaining("epoch secret");
    }

    /** Everything observable of a state that a round trip must keep. */
    private static List<Object> summary(GroupState s) {
        List<Object> out = new ArrayList<>();
        out.add(s.context());
        out.add(s.tree());
        out.add(s.ownLeaf());
        out.add(s.privateKeys().nodes());
        out.add(s.privateKeys().nodes().stream().map(n -> s.privateKeys().get(n).orElseThrow().privateKey()).toList());
        out.add(s.signaturePrivateKey());
        out.add(s.epochSecrets().all().stream().filter(x -> !x.isDestroyed()).toList());
        out.add(s.epochAuthenticator());
        out.add(s.confirmationTag());
        out.add(s.interimTranscriptHash());
        out.add(s.proposals());
        out.add(s.pastEpochs().stream().map(PastEpoch::epoch).toList());
        out.add(s.resumptionPsks().stream().map(EpochPsk::epoch).toList());
        out.add(s.pendingReInit());
        return out;
    }
}
