package org.mlsbridge.bridge.store;

/** The few fixed encodings the schema uses for key columns. */
final class SqlCodec {
    private SqlCodec() {
    }

    /**
     * 8 bytes big-endian: SQLite compares BLOBs with memcmp, so this orders epochs as unsigned
     * 64-bit values, which a signed INTEGER column would not.
     */
    static byte[] uint64(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    static long uint64(byte[] data) {
        if (data == null || data.length != 8) {
            throw new StoreException(StoreException.Kind.CORRUPT, "stored epoch is not 8 bytes");
        }
        long v = 0;
        for (byte b : data) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }
}
