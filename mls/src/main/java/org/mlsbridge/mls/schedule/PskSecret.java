package org.mlsbridge.mls.schedule;

import java.util.List;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/**
 * psk_secret of RFC 9420 §8.4: each PSK is extracted, expanded with a PSKLabel that binds its
 * id and its position in the list, and chained into the running secret with KDF.Extract. The
 * order of the list matters (it is the order of the PreSharedKey proposals or GroupSecrets.psks).
 */
public final class PskSecret {
    private PskSecret() {
    }

    /**
     * The psk_secret for {@code psks}; the all-zero secret of length Nh when the list is empty.
     * The inputs are not destroyed.
     *
     * @throws ValidationException more PSKs than a uint16 count can express
     */
    public static Secret compute(SuiteCrypto crypto, List<PskInput> psks) throws ValidationException {
        int nh = crypto.hashLength();
        int count = psks.size();
        if (count > 0xffff) {
            throw new ValidationException("RFC 9420 §8.4: " + count + " PSKs exceed the uint16 PSKLabel.count");
        }
        Secret zero = Secret.zero(nh);
        Secret pskSecret = Secret.zero(nh);
        for (int index = 0; index < count; index++) {
            PskInput in = psks.get(index);
            byte[] label = new TlsWriter(in.encodedId().length() + 4)
                    .raw(in.encodedId()).uint16(index).uint16(count).toByteArray();
            Secret extracted = Kdf.extract(crypto, zero, in.psk());
            Secret input = Kdf.expandWithLabel(crypto, extracted, "derived psk", label, nh);
            extracted.destroy();
            Secret nextSecret = Kdf.extract(crypto, input, pskSecret);
            input.destroy();
            pskSecret.destroy();
            pskSecret = nextSecret;
        }
        zero.destroy();
        return pskSecret;
    }
}
