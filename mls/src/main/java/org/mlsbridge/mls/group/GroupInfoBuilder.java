package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalPub;
import org.mlsbridge.mls.message.GroupInfo;

/**
 * The signed GroupInfo of a member's current epoch (RFC 9420 §12.4.3): its GroupContext and
 * confirmation tag, optionally the ratchet_tree extension (§12.4.3.3) and the external_pub
 * extension that lets others join by external commit (§12.4.3.2).
 */
public final class GroupInfoBuilder {
    private GroupInfoBuilder() {
    }

    public static GroupInfo build(GroupState s, boolean ratchetTree, boolean externalPub) throws CryptoException {
        List<Extension> extensions = new ArrayList<>(2);
        if (ratchetTree) {
            extensions.add(s.tree().toExtension().toExtension());
        }
        if (externalPub) {
            extensions.add(new ExternalPub(s.epochSecrets().externalPub()).toExtension());
        }
        GroupInfo unsigned = new GroupInfo(s.context(), extensions, s.confirmationTag(), s.ownLeaf(), Bytes.EMPTY);
        byte[] signature = s.crypto().signWithLabel(s.signaturePrivateKey(), GroupInfo.SIGNATURE_LABEL,
                unsigned.toBeSigned());
        return unsigned.withSignature(Bytes.wrap(signature));
    }
}
