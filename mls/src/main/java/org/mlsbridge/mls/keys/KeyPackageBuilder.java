package org.mlsbridge.mls.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * Builds and signs a KeyPackage (RFC 9420 §10) with fresh init and leaf encryption key pairs.
 *
 * <pre>{@code
 * KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(identity).lastResort(true).build();
 * }</pre>
 *
 * <p>Defaults: capabilities list version mls10, all seven cipher suites, the non-default
 * extensions in use plus last_resort, no non-default proposals, and the basic credential type
 * plus the identity's own; the lifetime starts one hour before now (tolerating clock skew
 * between clients) and ends {@link #DEFAULT_LIFETIME} after now.
 */
public final class KeyPackageBuilder {
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    /** How far back notBefore goes, so a peer whose clock runs a little late still accepts the KeyPackage. */
    public static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private final SignatureIdentity identity;
    private CryptoProvider provider = CryptoProvider.defaultProvider();
    private Clock clock = Clock.systemUTC();
    private Duration validity = DEFAULT_LIFETIME;
    private Lifetime lifetime;
    private Capabilities capabilities;
    private List<Extension> leafExtensions = List.of();
    private List<Extension> keyPackageExtensions = List.of();
    private boolean lastResort;

    private KeyPackageBuilder(SignatureIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** A builder for KeyPackages of the identity's cipher suite, signed with its key. */
    public static KeyPackageBuilder forIdentity(SignatureIdentity identity) {
        return new KeyPackageBuilder(identity);
    }

    public KeyPackageBuilder cryptoProvider(CryptoProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    public KeyPackageBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Valid from an hour ago until {@code validity} from now. */
    public KeyPackageBuilder validFor(Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        this.validity = validity;
        this.lifetime = null;
        return this;
    }

    /** An explicit lifetime, overriding {@link #validFor}. */
    public KeyPackageBuilder lifetime(Lifetime lifetime) {
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    /**
     * Explicit capabilities instead of the defaults. They must list mls10, the identity's suite
     * and credential type, and every non-default extension type the leaf or KeyPackage carries
     * (including last_resort when set); {@link #build} throws otherwise.
     */
    public KeyPackageBuilder capabilities(Capabilities capabilities) {
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        return this;
    }

    public KeyPackageBuilder leafExtensions(List<Extension> extensions) {
        this.leafExtensions = List.copyOf(extensions);
        return this;
    }

    /** KeyPackage-level extensions; last_resort is added by {@link #lastResort}, not here. */
    public KeyPackageBuilder keyPackageExtensions(List<Extension> extensions) {
        this.keyPackageExtensions = List.copyOf(extensions);
        return this;
    }

    /** Marks the KeyPackage last_resort (extension 0x000A): it stays usable after joins. */
    public KeyPackageBuilder lastResort(boolean lastResort) {
        this.lastResort = lastResort;
        return this;
    }

    /** The default capabilities for {@code credentialType} and the given extensions in use. */
    public static Capabilities defaultCapabilities(int credentialType, List<Integer> extensionTypesInUse) {
        List<Integer> suites = new ArrayList<>();
        for (CipherSuite s : CipherSuite.values()) {
            suites.add(s.id());
        }
        Set<Integer> extensions = new LinkedHashSet<>();
        for (int type : extensionTypesInUse) {
            if (!isDefaultExtension(type)) {
                extensions.add(type);
            }
        }
        extensions.add(Extension.LAST_RESORT);
        Set<Integer> credentials = new LinkedHashSet<>(List.of(Credential.BASIC, credentialType));
        return new Capabilities(List.of(GroupContext.MLS10), suites, List.copyOf(extensions), List.of(),
                List.copyOf(credentials));
    }

    /** Extension types of RFC 9420 itself, which every client supports without listing them (§7.2). */
    public static boolean isDefaultExtension(int type) {
        return type >= Extension.APPLICATION_ID && type <= Extension.EXTERNAL_SENDERS;
    }

    public KeyPackageBundle build() throws CryptoException {
        CipherSuite suite = identity.cipherSuite();
        SuiteCrypto crypto = provider.suite(suite);
        List<Extension> kpExtensions = new ArrayList<>(keyPackageExtensions);
        boolean hasLastResort = kpExtensions.stream().anyMatch(e -> e.type() == Extension.LAST_RESORT);
        if (lastResort && !hasLastResort) {
            kpExtensions.add(new Extension(Extension.LAST_RESORT, Bytes.EMPTY));
        }
        checkUniqueTypes(leafExtensions, "leaf");
        checkUniqueTypes(kpExtensions, "KeyPackage");
        List<Integer> inUse = new ArrayList<>();
        leafExtensions.forEach(e -> inUse.add(e.type()));
        kpExtensions.forEach(e -> inUse.add(e.type()));
        Capabilities caps = capabilities != null ? capabilities
                : defaultCapabilities(identity.credential().type(), inUse);
        checkCapabilities(caps, suite, inUse);

        HpkeKeyPair init = crypto.generateHpkeKeyPair();
        HpkeKeyPair leafKeys = crypto.generateHpkeKeyPair();
        LeafNode unsigned = new LeafNode(leafKeys.publicKey(), identity.signaturePublicKey(), identity.credential(),
                caps, LeafNodeSource.KEY_PACKAGE, Optional.of(lifetime()), Optional.empty(), leafExtensions,
                Bytes.EMPTY);
        LeafNode leaf = unsigned.withSignature(Bytes.wrap(identity.signWithLabel(crypto,
                TreeValidator.LEAF_SIGNATURE_LABEL, unsigned.toBeSigned(null, null))));
        KeyPackage unsignedKp = new KeyPackage(GroupContext.MLS10, suite, init.publicKey(), leaf, kpExtensions,
                Bytes.EMPTY);
        KeyPackage kp = unsignedKp.withSignature(Bytes.wrap(identity.signWithLabel(crypto,
                KeyPackage.SIGNATURE_LABEL, unsignedKp.toBeSigned())));
        return new KeyPackageBundle(kp, init.privateKey(), leafKeys.privateKey());
    }

    private Lifetime lifetime() {
        if (lifetime != null) {
            return lifetime;
        }
        long now = clock.instant().getEpochSecond();
        return new Lifetime(Math.max(0, now - CLOCK_SKEW.toSeconds()), now + validity.toSeconds());
    }

    private static void checkUniqueTypes(List<Extension> extensions, String where) {
        Set<Integer> seen = new LinkedHashSet<>();
        for (Extension e : extensions) {
            if (!seen.add(e.type())) {
                throw new IllegalArgumentException("RFC 9420 §13: duplicate " + where + " extension type " + e.type());
            }
        }
    }

    private void checkCapabilities(Capabilities caps, CipherSuite suite, List<Integer> inUse) {
        if (!caps.versions().contains(GroupContext.MLS10)) {
            throw new IllegalArgumentException("capabilities must list protocol version mls10");
        }
        if (!caps.cipherSuites().contains(suite.id())) {
            throw new IllegalArgumentException("capabilities must list the KeyPackage's cipher suite " + suite);
        }
        if (!caps.credentials().contains(identity.credential().type())) {
            throw new IllegalArgumentException("capabilities must list the credential type "
                    + identity.credential().type());
        }
        for (int type : inUse) {
            if (!isDefaultExtension(type) && !caps.extensions().contains(type)) {
                throw new IllegalArgumentException("RFC 9420 §10: capabilities must list extension type " + type);
            }
        }
    }
}
