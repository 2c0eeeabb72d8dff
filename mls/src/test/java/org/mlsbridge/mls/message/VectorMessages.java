package org.mlsbridge.mls.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsDecoder;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * Real encodings from messages.json (bundled with mls-vectors), for hostile-input tests that start
 * from valid messages. The file's fields are flat hex strings, so a regex reads them without a
 * JSON library in this module.
 */
final class VectorMessages {
    /** Decodes a whole field and re-encodes it. */
    interface Codec {
        byte[] roundTrip(byte[] data) throws DecodeException;
    }

    static final Map<String, Codec> CODECS = fields();

    private static Map<String, Codec> fields() {
        Map<String, Codec> m = new LinkedHashMap<>();
        m.put("mls_welcome", whole(MlsMessage::readFrom));
        m.put("mls_group_info", whole(MlsMessage::readFrom));
        m.put("mls_key_package", whole(MlsMessage::readFrom));
        m.put("ratchet_tree", whole(RatchetTreeExtension::readFrom));
        m.put("group_secrets", whole(GroupSecrets::readFrom));
        m.put("add_proposal", body(Proposal.Add::readBody));
        m.put("update_proposal", body(Proposal.Update::readBody));
        m.put("remove_proposal", body(Proposal.Remove::readBody));
        m.put("pre_shared_key_proposal", body(Proposal.PreSharedKey::readBody));
        m.put("re_init_proposal", body(Proposal.ReInit::readBody));
        m.put("external_init_proposal", body(Proposal.ExternalInit::readBody));
        m.put("group_context_extensions_proposal", body(Proposal.GroupContextExtensions::readBody));
        m.put("commit", whole(Commit::readFrom));
        m.put("public_message_application", whole(MlsMessage::readFrom));
        m.put("public_message_proposal", whole(MlsMessage::readFrom));
        m.put("public_message_commit", whole(MlsMessage::readFrom));
        m.put("private_message", whole(MlsMessage::readFrom));
        return Collections.unmodifiableMap(m);
    }

    private VectorMessages() {
    }

    private static Codec whole(TlsDecoder<? extends TlsEncodable> decoder) {
        return data -> TlsReader.decode(data, decoder).toByteArray();
    }

    private static Codec body(TlsDecoder<? extends Proposal> decoder) {
        return data -> {
            TlsWriter w = new TlsWriter();
            TlsReader.decode(data, decoder).writeBody(w);
            return w.toByteArray();
        };
    }

    /** One field of one case. */
    record Field(int caseIndex, String name, byte[] data) {
        byte[] roundTrip(byte[] bytes) throws DecodeException {
            return CODECS.get(name).roundTrip(bytes);
        }

        @Override
        public String toString() {
            return "case " + caseIndex + " " + name;
        }
    }

    /** Loaded on first use by the class-holder idiom. */
    private static final class Holder {
        static final List<Field> ALL = load();
    }

    /** Every field of every case, in file order. */
    static List<Field> all() {
        return Holder.ALL;
    }

    /** The fields of the first {@code cases} cases. */
    static List<Field> firstCases(int cases) {
        return all().stream().filter(f -> f.caseIndex() < cases).toList();
    }

    private static List<Field> load() {
        Path file = Path.of("..", "mls-vectors", "src", "test", "resources", "test-vectors", "messages.json");
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("messages.json not found at " + file.toAbsolutePath(), e);
        }
        Matcher m = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*\"([0-9a-fA-F]*)\"").matcher(json);
        List<Field> out = new ArrayList<>();
        int caseIndex = -1;
        while (m.find()) {
            String name = m.group(1);
            if (name.equals("mls_welcome")) {
                caseIndex++;
            }
            if (CODECS.containsKey(name)) {
                out.add(new Field(caseIndex, name, HexFormat.of().parseHex(m.group(2))));
            }
        }
        if (out.size() != 300 * CODECS.size()) {
            throw new IllegalStateException("expected 300 cases of messages.json, found " + out.size() + " fields");
        }
        return List.copyOf(out);
    }
}
