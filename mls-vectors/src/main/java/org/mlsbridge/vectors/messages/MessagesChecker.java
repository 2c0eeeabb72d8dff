package org.mlsbridge.vectors.messages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsDecoder;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;
import org.mlsbridge.vectors.VectorMismatch;

/**
 * messages.json: every field is the encoding of one wire struct; decode it as that struct,
 * re-encode, and require the same bytes. MLSMessage fields must also carry the expected wire format
 * (and public messages the content type their field names).
 */
public final class MessagesChecker implements VectorChecker {
    /** How to decode and re-encode one field. */
    private interface Codec {
        byte[] roundTrip(byte[] data) throws DecodeException;
    }

    private static final Map<String, Codec> FIELDS = fields();

    private static Map<String, Codec> fields() {
        Map<String, Codec> m = new LinkedHashMap<>();
        m.put("mls_welcome", mlsMessage(WireFormat.WELCOME));
        m.put("mls_group_info", mlsMessage(WireFormat.GROUP_INFO));
        m.put("mls_key_package", mlsMessage(WireFormat.KEY_PACKAGE));
        m.put("ratchet_tree", encodable(RatchetTreeExtension::readFrom));
        m.put("group_secrets", encodable(GroupSecrets::readFrom));
        m.put("add_proposal", body(Proposal.Add::readBody));
        m.put("update_proposal", body(Proposal.Update::readBody));
        m.put("remove_proposal", body(Proposal.Remove::readBody));
        m.put("pre_shared_key_proposal", body(Proposal.PreSharedKey::readBody));
        m.put("re_init_proposal", body(Proposal.ReInit::readBody));
        m.put("external_init_proposal", body(Proposal.ExternalInit::readBody));
        m.put("group_context_extensions_proposal", body(Proposal.GroupContextExtensions::readBody));
        m.put("commit", encodable(Commit::readFrom));
        m.put("public_message_application", publicMessage(ContentType.APPLICATION));
        m.put("public_message_proposal", publicMessage(ContentType.PROPOSAL));
        m.put("public_message_commit", publicMessage(ContentType.COMMIT));
        m.put("private_message", mlsMessage(WireFormat.PRIVATE_MESSAGE));
        return Collections.unmodifiableMap(m);
    }

    private static Codec encodable(TlsDecoder<? extends TlsEncodable> decoder) {
        return data -> TlsReader.decode(data, decoder).toByteArray();
    }

    private static Codec body(TlsDecoder<? extends Proposal> decoder) {
        return data -> {
            TlsWriter w = new TlsWriter();
            TlsReader.decode(data, decoder).writeBody(w);
            return w.toByteArray();
        };
    }

    private static Codec mlsMessage(WireFormat expected) {
        return data -> {
            MlsMessage m = MlsMessage.decode(data);
            Check.equal("wire format", expected, m.wireFormat());
            return m.toByteArray();
        };
    }

    private static Codec publicMessage(ContentType expected) {
        return data -> {
            MlsMessage m = MlsMessage.decode(data);
            if (!(m.body() instanceof PublicMessage pm)) {
                throw new VectorMismatch("expected a PublicMessage but got " + m.wireFormat());
            }
            Check.equal("content type", expected, pm.content().contentType());
            return m.toByteArray();
        };
    }

    @Override
    public String kind() {
        return "messages";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "mls_welcome", "mls_group_info", "mls_key_package", "commit", "private_message");
    }

    @Override
    public void check(JsonNode c) throws DecodeException {
        for (Map.Entry<String, Codec> f : FIELDS.entrySet()) {
            byte[] expected = Json.hex(c, f.getKey());
            byte[] actual;
            try {
                actual = f.getValue().roundTrip(expected);
            } catch (DecodeException e) {
                throw new DecodeException(f.getKey() + ": " + e.getMessage());
            }
            Check.bytes(f.getKey(), expected, actual);
        }
    }
}
