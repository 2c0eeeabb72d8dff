package org.mlsbridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.mlsbridge.interop.proto.Extension;

/**
 * Step parameters, read as the published Go runner reads them: field names match without
 * regard to case (Go's encoding/json does the same, so "changeCiphersuite" means
 * changeCipherSuite), and a missing field reads as the zero value. Where the published configs
 * and the runner's field tags disagree in spelling (force_path / forcePath, external_tree /
 * externalTree), both spellings are accepted, so the flag the config states is the one tested.
 */
final class Params {
    private Params() {
    }

    static JsonNode field(JsonNode params, String... names) {
        for (String name : names) {
            for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (f.equalsIgnoreCase(name)) {
                    return params.get(f);
                }
            }
        }
        return null;
    }

    static String string(JsonNode params, String... names) {
        JsonNode n = field(params, names);
        return n == null ? "" : n.asText();
    }

    static int integer(JsonNode params, String... names) {
        JsonNode n = field(params, names);
        return n == null ? 0 : n.asInt();
    }

    static boolean flag(JsonNode params, String... names) {
        JsonNode n = field(params, names);
        return n != null && n.asBoolean();
    }

    static List<String> strings(JsonNode params, String... names) {
        List<String> out = new ArrayList<>();
        JsonNode n = field(params, names);
        if (n != null) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    static List<Integer> integers(JsonNode params, String... names) {
        List<Integer> out = new ArrayList<>();
        JsonNode n = field(params, names);
        if (n != null) {
            n.forEach(x -> out.add(x.asInt()));
        }
        return out;
    }

    /** Extensions as the Go runner unmarshals pb.Extension: extension_data is base64 ([]byte in JSON). */
    static List<Extension> extensions(JsonNode params) {
        List<Extension> out = new ArrayList<>();
        JsonNode n = field(params, "extensions");
        if (n != null) {
            for (JsonNode e : n) {
                out.add(Extension.newBuilder().setExtensionType(integer(e, "extension_type", "extensionType"))
                        .setExtensionData(ByteString.copyFrom(Base64.getDecoder().decode(
                                string(e, "extension_data", "extensionData"))))
                        .build());
            }
        }
        return out;
    }
}
