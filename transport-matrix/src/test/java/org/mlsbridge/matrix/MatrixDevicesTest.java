package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.DropReason;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.MemberModeBot;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomId;
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

            // mallory runs a real MLS client on M0, but her device M1 hands out bob's KeyPackage as
            // hers: the bot adds nobody for her
            h.member("mallory", "M0");
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
            assertThat(h.members.get("mallory").epoch(h.room)).isEmpty();
            for (String n : List.of("alice", "bob")) {
                assertThat(h.transport(n).malformedEvents()).isZero();
            }
            assertThat(h.botTransport.malformedEvents()).isZero();
        }
    }

    @Test
    void anAccountWithMlsClientsOnTwoDevicesIsAddedWithALeafForEachAndRemovedWithBoth() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient phone = h.member("carol", "PHONE");
            MemberClient laptop = h.otherDevice("carol", "LAPTOP");
            h.join("carol");
            h.settle();
            assertThat(alice.groupMembers(h.room)).containsExactlyInAnyOrder(alice.self(), phone.self(), phone.self());
            assertThat(phone.epochAuthenticator(h.room)).isPresent().isEqualTo(alice.epochAuthenticator(h.room));
            assertThat(laptop.epochAuthenticator(h.room)).isEqualTo(alice.epochAuthenticator(h.room));
            // one Welcome for the account, read by both devices
            assertThat(phone.counters().dropped(DropReason.INVALID_WELCOME)).isZero();
            assertThat(laptop.counters().dropped(DropReason.INVALID_WELCOME)).isZero();

            alice.send(h.room, MatrixHarness.text("to both of carol's devices"));
            phone.send(h.room, MatrixHarness.text("from carol's phone"));
            h.settle();
            var got = h.drainReceived();
            assertThat(got.get("carol/LAPTOP")).containsExactly("to both of carol's devices", "from carol's phone");
            assertThat(got.get("carol")).containsExactly("to both of carol's devices");
            assertThat(got.get("alice")).containsExactly("from carol's phone");

            // leaving the room takes every leaf of the account out of the group
            h.leave("carol");
            h.settle();
            assertThat(alice.groupMembers(h.room)).containsExactly(alice.self());
            assertThat(phone.epoch(h.room)).isEmpty();
            assertThat(laptop.epoch(h.room)).isEmpty();
        }
    }

    @Test
    void aMemberModeBotAddsEachMlsDeviceOfAnAccount() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir)) {
            MatrixTransport botTransport = h.world.connect("mbot", "MEMBER-BOT");
            RoomId room = botTransport.createRoom("member mode", List.of());
            try (MemberModeBot bot = new MemberModeBot(botTransport, h.store("mbot"), h.options);
                    MemberClient phone = new MemberClient(h.world.connect("dave", "PHONE"), h.store("dave-phone"),
                            h.options);
                    MemberClient laptop = new MemberClient(h.world.connect("dave", "LAPTOP"), h.store("dave-laptop"),
                            h.options)) {
                bot.manage(room);
                botTransport.invite(room, phone.self());
                h.world.connect("dave", "PHONE").join(room);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(phone.epoch(room).isPresent() && laptop.epoch(room).isPresent()
                        && phone.epoch(room).equals(bot.client().epoch(room)))) {
                    assertThat(System.nanoTime()).as("both devices in the group within 60 s").isLessThan(deadline);
                    bot.step(200, Duration.ofMillis(20));
                    phone.step(200, Duration.ofMillis(20));
                    laptop.step(200, Duration.ofMillis(20));
                }
                assertThat(bot.client().groupMembers(room)).containsExactlyInAnyOrder(bot.self(), phone.self(),
                        phone.self());
                assertThat(laptop.epochAuthenticator(room)).isEqualTo(bot.client().epochAuthenticator(room));
            }
        }
    }
}
