package org.mlsbridge.mls.validation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.KeyPackage;

/** Whatever options the builder is given, its KeyPackages pass validation. */
class BuilderValidatorPropertiesTest {
    private static final KeyPackageValidator VALIDATOR =
            new KeyPackageValidator(new LeafNodeValidator(CredentialValidator.basic(), Fixture.CLOCK));

    @Property(tries = 40)
    void builtKeyPackagesValidate(@ForAll CipherSuite suite, @ForAll boolean lastResort,
            @ForAll @Size(max = 3) @UniqueElements List<@IntRange(min = 0x0100, max = 0xfeff) Integer> leafTypes,
            @ForAll @Size(max = 2) @UniqueElements List<@IntRange(min = 0xff00, max = 0xffff) Integer> kpTypes,
            @ForAll @IntRange(min = 1, max = 400) int days) throws Exception {
        Fixture g = Fixture.group(suite, 1);
        SignatureIdentity id = g.identity("prop");
        List<Extension> leafExt = new ArrayList<>();
        leafTypes.forEach(t -> leafExt.add(new Extension(t, Bytes.fromHex("01"))));
        List<Extension> kpExt = new ArrayList<>();
        kpTypes.forEach(t -> kpExt.add(new Extension(t, Bytes.EMPTY)));
        KeyPackage kp = KeyPackageBuilder.forIdentity(id).clock(Fixture.CLOCK).lastResort(lastResort)
                .leafExtensions(leafExt).keyPackageExtensions(kpExt).validFor(Duration.ofDays(days)).build()
                .keyPackage();
        VALIDATOR.validateStandalone(kp, g.crypto);
        VALIDATOR.validate(kp, g.context, g.tree, Set.of());
    }
}
