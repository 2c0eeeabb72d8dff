package org.mlsbridge.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;

/** Field access for vector cases, failing with the field's name when it is missing or malformed. */
public final class Json {
    private static final HexFormat HEX = HexFormat.of();

    private Json() {
    }

    public static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new IllegalArgumentException("vector case lacks field '" + name + "'");
        }
        return v;
    }

    public static boolean has(JsonNode node, String... names) {
        for (String n : names) {
            if (!node.has(n)) {
                return false;
            }
        }
        return true;
    }

    /** A hex field as bytes; an empty string is zero bytes. */
    public static byte[] hex(JsonNode node, String name) {
        return HEX.parseHex(field(node, name).asText());
    }

    public static Bytes bytes(JsonNode node, String name) {
        return Bytes.wrap(hex(node, name));
    }

    /** A hex field that may be JSON null; null comes back as null. */
    public static byte[] hexOrNull(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : HEX.parseHex(v.asText());
    }

    public static long number(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + name + "' is not an integer");
        }
        return v.asLong();
    }

    public static String text(JsonNode node, String name) {
        return field(node, name).asText();
    }

    public static CipherSuite suite(JsonNode node) {
        long id = number(node, "cipher_suite");
        return CipherSuite.fromId((int) id)
                .orElseThrow(() -> new IllegalArgumentException("unsupported cipher suite " + id));
    }

    public static String toHex(byte[] data) {
        return HEX.formatHex(data);
    }
}
