package org.mlsbridge.mls.group;

import java.time.Clock;
import java.util.Objects;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.framing.PaddingPolicy;
import org.mlsbridge.mls.secrets.SecretTreeConfig;
import org.mlsbridge.mls.validation.CredentialValidator;

/**
 * Local policy of one member of a group: none of it is on the wire, and members may differ.
 *
 * @param padding padding of outgoing PrivateMessages (RFC 9420 §6.3.1)
 * @param pastEpochsKept how many earlier epochs keep their receiving keys so that application
 *     messages sent just before a commit can still be read (§9.2 leaves this to the
 *     application). 0 deletes an epoch's keys as soon as the next one is merged (best forward
 *     secrecy, but a message racing a commit is lost). Default {@value #DEFAULT_PAST_EPOCHS}.
 * @param resumptionPsksKept how many earlier epochs keep their resumption_psk for PreSharedKey
 *     proposals and ReInit/branch (§8.6). Default {@value #DEFAULT_RESUMPTION_PSKS}.
 * @param secretTree out-of-order window and forward-skip cap of the hash ratchets (§9.2)
 * @param crypto where the cipher suites' implementations come from
 * @param handshakes the wire format of this member's proposals and commits (application
 *     messages are always PrivateMessage, §6); default {@link HandshakeWireFormat#PUBLIC}
 * @param credentials the application's authentication service (§5.3): which credentials may be
 *     members or external senders; default {@link CredentialValidator#basic()}
 * @param clock for KeyPackage lifetimes (§7.3); default the system clock
 * @param validation the tree-size cap and the adder's capability check; default
 *     {@link ValidationPolicy#DEFAULT}
 */
public record GroupConfig(PaddingPolicy padding, int pastEpochsKept, int resumptionPsksKept,
        SecretTreeConfig secretTree, CryptoProvider crypto, HandshakeWireFormat handshakes,
        CredentialValidator credentials, Clock clock, ValidationPolicy validation) {
    /** Three epochs: covers a commit racing a few application messages without keeping keys long. */
    public static final int DEFAULT_PAST_EPOCHS = 3;
    /** Resumption PSKs are one secret each, so more of them are kept. */
    public static final int DEFAULT_RESUMPTION_PSKS = 16;

    /**
     * No padding, {@value #DEFAULT_PAST_EPOCHS} past epochs, {@value #DEFAULT_RESUMPTION_PSKS}
     * resumption PSKs, default secret tree and crypto, PublicMessage handshakes, basic
     * credentials, the system clock, {@link ValidationPolicy#DEFAULT}.
     */
    public static final GroupConfig DEFAULT = new GroupConfig(PaddingPolicy.none(), DEFAULT_PAST_EPOCHS,
            DEFAULT_RESUMPTION_PSKS, SecretTreeConfig.DEFAULT, CryptoProvider.defaultProvider(),
            HandshakeWireFormat.PUBLIC, CredentialValidator.basic(), Clock.systemUTC(), ValidationPolicy.DEFAULT);

    /** With PublicMessage handshakes, basic credentials and the system clock. */
    public GroupConfig(PaddingPolicy padding, int pastEpochsKept, int resumptionPsksKept, SecretTreeConfig secretTree,
            CryptoProvider crypto) {
        this(padding, pastEpochsKept, resumptionPsksKept, secretTree, crypto, HandshakeWireFormat.PUBLIC,
                CredentialValidator.basic(), Clock.systemUTC(), ValidationPolicy.DEFAULT);
    }

    public GroupConfig {
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(secretTree, "secretTree");
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(handshakes, "handshakes");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(validation, "validation");
        if (pastEpochsKept < 0) {
            throw new IllegalArgumentException("pastEpochsKept must not be negative: " + pastEpochsKept);
        }
        if (resumptionPsksKept < 0) {
            throw new IllegalArgumentException("resumptionPsksKept must not be negative: " + resumptionPsksKept);
        }
    }

    public GroupConfig withPadding(PaddingPolicy p) {
        return new GroupConfig(p, pastEpochsKept, resumptionPsksKept, secretTree, crypto, handshakes, credentials,
                clock, validation);
    }

    public GroupConfig withPastEpochsKept(int n) {
        return new GroupConfig(padding, n, resumptionPsksKept, secretTree, crypto, handshakes, credentials,
                clock, validation);
    }

    public GroupConfig withResumptionPsksKept(int n) {
        return new GroupConfig(padding, pastEpochsKept, n, secretTree, crypto, handshakes, credentials,
                clock, validation);
    }

    public GroupConfig withSecretTree(SecretTreeConfig c) {
        return new GroupConfig(padding, pastEpochsKept, resumptionPsksKept, c, crypto, handshakes,
                credentials, clock, validation);
    }

    public GroupConfig withHandshakes(HandshakeWireFormat f) {
        return new GroupConfig(padding, pastEpochsKept, resumptionPsksKept, secretTree, crypto, f,
                credentials, clock, validation);
    }

    public GroupConfig withCredentials(CredentialValidator v) {
        return new GroupConfig(padding, pastEpochsKept, resumptionPsksKept, secretTree, crypto, handshakes,
                v, clock, validation);
    }

    public GroupConfig withClock(Clock c) {
        return new GroupConfig(padding, pastEpochsKept, resumptionPsksKept, secretTree, crypto, handshakes,
                credentials, c, validation);
    }

    public GroupConfig withValidation(ValidationPolicy v) {
        return new GroupConfig(padding, pastEpochsKept, resumptionPsksKept, secretTree, crypto, handshakes,
                credentials, clock, v);
    }
}
