package org.mlsbridge.mls.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RequiredCapabilities;

/** Capability arithmetic shared by the validators: "default" types count as supported by everyone. */
final class Capability {
    private Capability() {
    }

    /** Extension types of RFC 9420 itself (§7.2: need not be listed in capabilities). */
    static boolean isDefaultExtension(int type) {
        return type >= Extension.APPLICATION_ID && type <= Extension.EXTERNAL_SENDERS;
    }

    /** Proposal types of RFC 9420 itself. */
    static boolean isDefaultProposal(int type) {
        return type >= Proposal.ADD && type <= Proposal.GROUP_CONTEXT_EXTENSIONS;
    }

    static boolean supportsExtension(Capabilities caps, int type) {
        return isDefaultExtension(type) || caps.extensions().contains(type);
    }

    static boolean supportsProposal(Capabilities caps, int type) {
        return isDefaultProposal(type) || caps.proposals().contains(type);
    }

    /** The first capability of {@code required} that {@code caps} lacks, described; empty if none. */
    static Optional<String> missing(Capabilities caps, RequiredCapabilities required) {
        for (int type : required.extensions()) {
            if (!supportsExtension(caps, type)) {
                return Optional.of("extension type " + type);
            }
        }
        for (int type : required.proposals()) {
            if (!supportsProposal(caps, type)) {
                return Optional.of("proposal type " + type);
            }
        }
        for (int type : required.credentials()) {
            if (!caps.credentials().contains(type)) {
                return Optional.of("credential type " + type);
            }
        }
        return Optional.empty();
    }

    /** The group's required_capabilities, if any; malformed is a validation failure. */
    static Optional<RequiredCapabilities> required(List<Extension> groupContextExtensions)
            throws ValidationException {
        try {
            return Extensions.findParsed(groupContextExtensions, Extension.REQUIRED_CAPABILITIES,
                    RequiredCapabilities::readFrom);
        } catch (DecodeException e) {
            throw new ValidationException("RFC 9420 §11.1: malformed required_capabilities extension", e);
        }
    }

    /**
     * Whether {@code key} is usable as an HPKE public key of the suite, tried by sealing to it
     * (one encapsulation). A leaf with an unusable key would make every later commit that must
     * encrypt to it fail, stalling the group, so such keys are refused at the door.
     */
    static void checkHpkePublicKey(SuiteCrypto crypto, Bytes key, String rule) throws ValidationException {
        try {
            crypto.hpkeSeal(key, new byte[0], new byte[0], new byte[0]);
        } catch (CryptoException e) {
            throw new ValidationException(rule + " is not a valid HPKE public key for " + crypto.suite(), e);
        }
    }

    /** §13.4: an extension list must not hold two extensions of one type. */
    static void checkNoDuplicates(List<Extension> extensions, String where) throws ValidationException {
        Set<Integer> seen = new HashSet<>();
        for (Extension e : extensions) {
            if (!seen.add(e.type())) {
                throw new ValidationException("RFC 9420 §13.4: " + where + " has two extensions of type " + e.type());
            }
        }
    }
}
