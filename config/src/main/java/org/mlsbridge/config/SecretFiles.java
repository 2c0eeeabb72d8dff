package org.mlsbridge.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads secrets from files: the configuration names files, never the secrets themselves, so the
 * file can be shared, committed or logged. Errors name the file, never its content.
 */
final class SecretFiles {
    /** The length of the store's key-encryption key (bridge-core {@code KeyEncryptionKey.LENGTH}). */
    static final int KEY_ENCRYPTION_KEY_BYTES = 32;

    private SecretFiles() {
    }

    /**
     * A password: the file's text (UTF-8) without the line break at its end, which editors add.
     * Other whitespace is kept, since it may be part of the password.
     */
    static Optional<SecretText> password(Section s, String key, Path file, List<String> notes) {
        Optional<byte[]> bytes = read(s, key, file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw = bytes.get();
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw)).toString();
            String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (password.isEmpty()) {
                s.problem(key, "the file " + file + " is empty", "write the account's password into it (one line)");
                return Optional.empty();
            }
            if (password.contains("\n")) {
                s.problem(key, "the file " + file + " has more than one line",
                        "keep only the password in it, on one line");
                return Optional.empty();
            }
            warnIfOthersCanRead(s.keyName(key), file, notes);
            return Optional.of(new SecretText(password));
        } catch (CharacterCodingException e) {
            s.problem(key, "the file " + file + " is not UTF-8 text", "write the password as UTF-8 text");
            return Optional.empty();
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Checks the store's key file: if it exists, it must hold a 32-byte key in base64; if not, its
     * folder must exist, since the store generates the key there on the first start.
     */
    static void checkKeyEncryptionKey(Section s, String key, Path file, List<String> notes) {
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                s.problem(key, "neither the key file " + file + " nor its folder exists",
                        "create the folder (mkdir -p " + parent + "), readable by the service only; "
                                + "a new key is generated there on the first start");
            } else {
                notes.add(s.keyName(key) + ": " + file + " does not exist yet; a new key will be generated there "
                        + "on the first start (back it up: without it the database cannot be read)");
            }
            return;
        }
        Optional<byte[]> bytes = read(s, key, file);
        if (bytes.isEmpty()) {
            return;
        }
        byte[] raw = bytes.get();
        byte[] decoded = null;
        try {
            decoded = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
            if (decoded.length != KEY_ENCRYPTION_KEY_BYTES) {
                s.problem(key, "the key file " + file + " holds " + decoded.length + " bytes, not "
                                + KEY_ENCRYPTION_KEY_BYTES,
                        "point to the right key file (44 base64 characters), or restore it from its backup");
            } else {
                warnIfOthersCanRead(s.keyName(key), file, notes);
            }
        } catch (IllegalArgumentException e) {
            // The decoder's message can quote the key's characters: it is not passed on.
            s.problem(key, "the key file " + file + " does not hold base64 text",
                    "point to the right key file (44 base64 characters), or restore it from its backup");
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (decoded != null) {
                Arrays.fill(decoded, (byte) 0);
            }
        }
    }

    private static Optional<byte[]> read(Section s, String key, Path file) {
        if (Files.isDirectory(file)) {
            s.problem(key, file + " is a folder, not a file", "name the file inside it");
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            s.problem(key, "the file " + file + " does not exist",
                    "create it (readable by the service only: chmod 600) or correct the path");
        } catch (AccessDeniedException e) {
            s.problem(key, "the file " + file + " is not readable (permission denied)",
                    "let the user the service runs as read it (chown, chmod 600)");
        } catch (IOException e) {
            s.problem(key, "the file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check the path and the disk");
        }
        return Optional.empty();
    }

    private static void warnIfOthersCanRead(String key, Path file, List<String> notes) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                notes.add(key + ": " + file + " is readable by group or others; restrict it: chmod 600 " + file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }
}
