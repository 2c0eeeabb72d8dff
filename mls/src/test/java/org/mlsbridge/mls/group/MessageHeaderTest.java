package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MessageHeader;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.tree.LeafIndex;

class MessageHeaderTest {
    @Test
    void peekReadsGroupEpochAndContentTypeOfPublicAndPrivateMessages() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client alice = cs.get(0);
        MlsMessage app = alice.say("hi");
        MessageHeader h = MessageHeader.peek(app.toByteArray());
        assertThat(h).isEqualTo(new MessageHeader(WireFormat.PRIVATE_MESSAGE, alice.group.groupId(), 1,
                ContentType.APPLICATION, Optional.empty()));
        assertThat(MessageHeader.of(app)).contains(h);

        MlsMessage commit = alice.group.commit(CommitOptions.empty()).commit();
        MessageHeader c = MessageHeader.peek(commit.toByteArray());
        assertThat(c).isEqualTo(new MessageHeader(WireFormat.PUBLIC_MESSAGE, alice.group.groupId(), 1,
                ContentType.COMMIT, Optional.of(new Sender.Member(LeafIndex.of(0)))));
        assertThat(MessageHeader.of(commit)).contains(c);
    }

    @Test
    void peekNeedsOnlyTheHeaderBytes() throws MlsException {
        Client alice = Clients.group("alice", "bob").get(0);
        byte[] app = alice.say("a longer message whose body is cut off").toByteArray();
        byte[] prefix = Arrays.copyOf(app, 40);
        assertThat(MessageHeader.peek(prefix).epoch()).isEqualTo(1);
        assertThatThrownBy(() -> MlsMessage.decode(prefix)).isInstanceOf(DecodeException.class);
    }

    @Test
    void messagesWithoutAGroupHeaderAndGarbageAreDecodeErrors() throws MlsException {
        Client bob = new Client("bob");
        byte[] keyPackage = MlsMessage.of(bob.bundle.keyPackage()).toByteArray();
        assertThatThrownBy(() -> MessageHeader.peek(keyPackage)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("KEY_PACKAGE");
        assertThat(MessageHeader.of(MlsMessage.of(bob.bundle.keyPackage()))).isEmpty();
        for (byte[] garbage : List.of(new byte[0], new byte[] {0, 1}, new byte[] {0, 1, 0, 2, (byte) 0xff})) {
            assertThatThrownBy(() -> MessageHeader.peek(garbage)).isInstanceOf(DecodeException.class)
                    .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.DECODE);
        }
    }
}
