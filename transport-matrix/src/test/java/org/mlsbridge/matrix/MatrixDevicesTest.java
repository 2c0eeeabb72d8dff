package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.DropReason;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.mls.codec.Bytes;

/**
 * MLS clients on device ids of their own choosing, through a real Synapse: others find them by
 * their device keys ({@code /keys/query}) and claim their KeyPackages there.
 */
@ExtendWith(SynapseExtension.class)
class MatrixDevicesTest {
    @TempDir
    Path dir;

    private final SynapseServer synapse;

    MatrixDevicesTest(SynapseServer synapse) {
        this.synapse = synapse;
    }

    @Test
    void membersAndTheBotOnAnyDeviceAreFoundAndAKeyPackageOfAnotherAccountIsRefused() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir, "BRIDGE-BOT")) {
            // the creator finds the bot's last_resort KeyPackage on its device BRIDGE-BOT
            MemberClient alice = h.creator("alice", "ALICE.PHONE");
            MemberClient bob = h.member("bob", "bob_laptop-2");
            h.join("bob");
            h.settle();
            assertThat(h.bot.groupMembers(h.room)).containsExactlyInAnyOrder(alice.self(), bob.self());
            assertThat(bob.epochAuthenticator(h.room)).isPresent().isEqualTo(alice.epochAuthenticator(h.room));
            alice.send(h.room, MatrixHarness.text("hello bob's laptop"));
            h.settle();
            assertThat(h.drainReceived().get("bob")).containsExactly("hello bob's laptop");

            // bob's client restarts on the same device: same KeyPackages, same to-device inbox
            bob = h.restart("bob");
            bob.send(h.room, MatrixHarness.text("back again"));
            h.settle();
            assertThat(h.drainReceived().get("alice")).containsExactly("back again");

            // mallory's MLS device hands out bob's KeyPackage as hers: the bot adds nobody for her
            MatrixTransport mallory = h.world.connect("mallory", "M1");
            Bytes bobs = mallory.claimKeyPackage(bob.self()).orElseThrow();
            mallory.publishKeyPackages(List.of(new PublishedKeyPackage(Bytes.wrap(new byte[32]), bobs)),
                    Optional.empty());
            long epoch = alice.epoch(h.room).orElseThrow();
            h.botTransport.invite(h.room, mallory.self());
            mallory.join(h.room);
            h.settle();
            assertThat(h.bot.counters().dropped(DropReason.KEY_PACKAGE_IDENTITY)).isEqualTo(1);
            assertThat(h.bot.groupMembers(h.room)).containsExactlyInAnyOrder(alice.self(), bob.self());
            assertThat(alice.epoch(h.room)).contains(epoch);
            for (String n : List.of("alice", "bob")) {
                assertThat(h.transport(n).malformedEvents()).isZero();
            }
            assertThat(h.botTransport.malformedEvents()).isZero();
        }
    }
}
