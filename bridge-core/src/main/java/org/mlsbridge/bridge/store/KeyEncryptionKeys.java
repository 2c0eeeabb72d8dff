package org.mlsbridge.bridge.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.mlsbridge.bridge.store.StoreException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the {@link KeyEncryptionKey} from where the configuration says: an environment variable
 * or a key file, both holding the 32-byte key in base64 (standard alphabet, surrounding
 * whitespace ignored). Every failure is a {@link StoreException} of kind
 * {@link Kind#KEY_UNAVAILABLE} naming the source, never its content.
 */
public final class KeyEncryptionKeys {
    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryptionKeys.class);

    private KeyEncryptionKeys() {
    }

    /**
     * The key in {@code variable} if that variable is set (and not blank), else the key file,
     * which is generated if it does not exist yet.
     */
    public static KeyEncryptionKey fromEnvironmentOrFile(String variable, Path keyFile) {
        return fromEnvironmentOrFile(System.getenv(), variable, keyFile);
    }

    static KeyEncryptionKey fromEnvironmentOrFile(Map<String, String> env, String variable, Path keyFile) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            return fromBase64(value, "environment variable " + variable);
        }
        return loadOrCreate(keyFile);
    }

    /** The key in environment variable {@code variable}; it must be set. */
    public static KeyEncryptionKey fromEnvironment(String variable) {
        return fromEnvironment(System.getenv(), variable);
    }

    static KeyEncryptionKey fromEnvironment(Map<String, String> env, String variable) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new StoreException(Kind.KEY_UNAVAILABLE, "environment variable " + variable
                    + " is not set; it must hold the 32-byte key-encryption key in base64");
        }
        return fromBase64(value, "environment variable " + variable);
    }

    /** The key in an existing key file. */
    public static KeyEncryptionKey fromFile(Path keyFile) {
        byte[] content;
        try {
            content = Files.readAllBytes(keyFile);
        } catch (NoSuchFileException e) {
            throw new StoreException(Kind.KEY_UNAVAILABLE, "key file " + keyFile + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new StoreException(Kind.KEY_UNAVAILABLE, "key file " + keyFile + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new StoreException(Kind.KEY_UNAVAILABLE, "key file " + keyFile + " cannot be read: " + e.getMessage(), e);
        }
        warnIfOthersCanRead(keyFile);
        String text = new String(content, StandardCharsets.US_ASCII);
        Arrays.fill(content, (byte) 0);
        return fromBase64(text, "key file " + keyFile);
    }

    /**
     * The key in {@code keyFile}; if the file does not exist, a new random key is written to it
     * first, readable by the owner only (0600). The file appears complete or not at all: it is
     * written to a temporary file in the same folder, synced, then renamed.
     */
    public static KeyEncryptionKey loadOrCreate(Path keyFile) {
        if (Files.exists(keyFile)) {
            return fromFile(keyFile);
        }
        byte[] raw = new byte[KeyEncryptionKey.LENGTH];
        new SecureRandom().nextBytes(raw);
        KeyEncryptionKey key = KeyEncryptionKey.of(raw);
        byte[] text = (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(raw, (byte) 0);
        Path dir = keyFile.toAbsolutePath().getParent();
        Path tmp = dir.resolve(keyFile.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try {
            OwnerOnlyFiles.create(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(text));
                ch.force(true);
            }
            try {
                // createLink fails if keyFile appeared meanwhile, where a rename would replace it.
                Files.createLink(keyFile, tmp);
            } catch (FileAlreadyExistsException e) {
                return fromFile(keyFile);
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(tmp, keyFile);
            }
            OwnerOnlyFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new StoreException(Kind.KEY_UNAVAILABLE, "cannot create key file " + keyFile + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(text, (byte) 0);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temporary file is harmless; the key file itself is complete
            }
        }
        LOG.info("generated a new key-encryption key (id {}) in {}", key.keyId(), keyFile);
        return key;
    }

    /** Decodes the base64 text of a key; {@code source} names where it came from, for errors. */
    public static KeyEncryptionKey fromBase64(String text, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            // the decoder's message may quote the offending character, so it is not passed on
            throw new StoreException(Kind.KEY_UNAVAILABLE, source + " does not hold valid base64");
        }
        try {
            if (raw.length != KeyEncryptionKey.LENGTH) {
                throw new StoreException(Kind.KEY_UNAVAILABLE, source + " holds " + raw.length
                        + " bytes; a key-encryption key is " + KeyEncryptionKey.LENGTH + " bytes (44 base64 characters)");
            }
            return KeyEncryptionKey.of(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static void warnIfOthersCanRead(Path keyFile) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("key file {} is readable by group or others; restrict it with chmod 600", keyFile);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
