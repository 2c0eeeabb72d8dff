package org.mlsbridge.vectors.codec;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * deserialization.json: the varint length header of a variable-length vector (RFC 9420 §2.1.2)
 * decodes to the stated length, the length encodes back to the same header, and a vector whose
 * content is missing is refused.
 */
public final class DeserializationChecker implements VectorChecker {
    @Override
    public String kind() {
        return "deserialization";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "vlbytes_header", "length");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        byte[] header = Json.hex(c, "vlbytes_header");
        long length = Json.number(c, "length");

        TlsReader r = TlsReader.of(header);
        Check.equal("decoded length", length, (long) r.varint());
        Check.equal("bytes left after the header", 0, r.remaining());
        Check.bytes("encoded header", header, new TlsWriter().varint((int) length).toByteArray());

        if (length > 0) {
            boolean refused;
            try {
                TlsReader.of(header).opaque();
                refused = false;
            } catch (DecodeException e) {
                refused = true;
            }
            Check.isTrue("a header announcing " + length + " bytes with none following must be refused", refused);
        }
    }
}
