package org.mlsbridge.app.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Checks, before long work starts, that its output file can be written. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * For a command's output option: the usage error to give ("{@code --json: cannot write FILE:
     * why}"), or empty when the option was not given ({@code file} null) or its file can be written.
     */
    public static Optional<String> optionProblem(String option, Path file) {
        return file == null ? Optional.empty()
                : problemWriting(file).map(problem -> option + ": cannot write " + file + ": " + problem);
    }

    /**
     * Why {@code file} cannot be written, or empty if it can. Tries for real (opens an existing
     * file for appending, or creates and removes a new one), because permission bits alone do not
     * tell: root ignores them, and a read-only mount or a full disk shows only when writing.
     */
    public static Optional<String> problemWriting(Path file) {
        if (Files.isDirectory(file)) {
            return Optional.of("it is a folder");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return Optional.of("no such folder: " + parent);
        }
        try {
            if (Files.exists(file)) {
                try (var ignored = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
                    return Optional.empty();
                }
            }
            Files.createFile(file);
            Files.delete(file);
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of("permission denied");
        } catch (NoSuchFileException e) {
            return Optional.of("no such file or directory");
        } catch (FileSystemException e) {
            return Optional.of(e.getReason() == null ? "cannot create it" : e.getReason());
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? "cannot create it" : e.getMessage());
        }
    }
}
