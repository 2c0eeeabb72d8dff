package org.mlsbridge.bridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mlsbridge.bridge.store.StoreException.Kind;

/**
 * Looks at an existing database file before SQLite opens it, reading only: a file that is not an
 * SQLite database, or one visibly truncated (shorter than its header says, or not a whole number
 * of pages), is refused with a clear error while the file is still untouched. Damage inside the
 * pages is left to SQLite's {@code quick_check} and to the rows' authentication tags.
 */
final class DatabaseFileCheck {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 100;

    private DatabaseFileCheck() {
    }

    static void check(Path file) {
        long size;
        byte[] header = new byte[HEADER];
        int read;
        try {
            size = Files.size(file);
            if (size == 0) {
                return; // created but never initialised (a crash right after creation): treated as new
            }
            try (InputStream in = Files.newInputStream(file)) {
                read = in.readNBytes(header, 0, HEADER);
            }
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "cannot read database file " + file + ": " + e.getMessage(), e);
        }
        int magicLen = Math.min(read, MAGIC.length);
        if (!Arrays.equals(header, 0, magicLen, MAGIC, 0, magicLen)) {
            throw new StoreException(Kind.NOT_A_STORE, file + " is not an SQLite database (wrong file header); it was left unchanged");
        }
        if (read < HEADER) {
            throw truncated(file, "it is only " + size + " bytes long");
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        int rawPageSize = Short.toUnsignedInt(h.getShort(16));
        long pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
        if (pageSize < 512 || pageSize > 65536 || Long.bitCount(pageSize) != 1) {
            throw new StoreException(Kind.CORRUPT, "database file " + file + " has a damaged header (page size "
                    + rawPageSize + "); it was left unchanged");
        }
        if (size % pageSize != 0) {
            throw truncated(file, "its length " + size + " is not a whole number of " + pageSize + "-byte pages");
        }
        long changeCounter = Integer.toUnsignedLong(h.getInt(24));
        long pageCount = Integer.toUnsignedLong(h.getInt(28));
        long validFor = Integer.toUnsignedLong(h.getInt(92));
        // A non-empty WAL means a checkpoint may have been cut short: page 1 (with the new page
        // count) can be in the file before the pages behind it, which are still in the WAL and
        // will be read from there. Only without a WAL must the file hold every page.
        if (validFor == changeCounter && pageCount > 0 && size < pageCount * pageSize && !hasWal(file)) {
            throw truncated(file, "it holds " + size / pageSize + " of the " + pageCount + " pages its header announces");
        }
    }

    private static boolean hasWal(Path file) {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        try {
            return Files.exists(wal) && Files.size(wal) > 0;
        } catch (IOException e) {
            return true; // cannot tell: leave the verdict to SQLite
        }
    }

    private static StoreException truncated(Path file, String why) {
        return new StoreException(Kind.CORRUPT, "database file " + file + " is truncated: " + why
                + "; it was left unchanged (restore it from a backup)");
    }
}
