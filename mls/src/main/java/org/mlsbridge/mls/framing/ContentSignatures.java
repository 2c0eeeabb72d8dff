package org.mlsbridge.mls.framing;

import java.util.Locale;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.WireFormat;

/** Signing and verifying FramedContent: {@code SignWithLabel(., "FramedContentTBS", FramedContentTBS)} (RFC 9420 §6.1). */
public final class ContentSignatures {
    public static final String LABEL = "FramedContentTBS";

    private ContentSignatures() {
    }

    /**
     * The signature over {@code content} as it will be sent with {@code wireFormat}; {@code context}
     * is the current GroupContext (ignored for senders whose signature does not cover it).
     */
    public static Bytes sign(SuiteCrypto crypto, Secret signaturePrivateKey, WireFormat wireFormat,
            FramedContent content, GroupContext context) throws CryptoException {
        byte[] tbs = FramedContentTbs.of(wireFormat, content, context).toByteArray();
        return Bytes.wrap(crypto.signWithLabel(signaturePrivateKey, LABEL, tbs));
    }

    /** Verifies the signature of {@code content}; a wrong one is a {@link ValidationException}. */
    public static void verify(SuiteCrypto crypto, Bytes signaturePublicKey, AuthenticatedContent content,
            GroupContext context) throws MlsException {
        byte[] tbs = FramedContentTbs.of(content.wireFormat(), content.content(), context).toByteArray();
        boolean ok;
        try {
            ok = crypto.verifyWithLabel(signaturePublicKey, LABEL, tbs, content.auth().signature().toByteArray());
        } catch (CryptoException e) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §6.1: cannot verify the signature of " + describe(content)
                    + ": " + e.getMessage(), e);
        }
        if (!ok) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §6.1: invalid signature on " + describe(content));
        }
    }

    static String describe(AuthenticatedContent content) {
        return content.content().content().contentType().name().toLowerCase(Locale.ROOT)
                + " from " + content.content().sender();
    }
}
