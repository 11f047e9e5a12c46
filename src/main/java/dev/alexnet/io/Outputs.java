package dev.alexnet.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks where the program is about to write, before any work: it never replaces a file the user
 * did not ask it to replace, and a place it cannot write is said at once, with the reason.
 */
public final class Outputs {

    private Outputs() {}

    /**
     * Checks that {@code file} can be written as a new file: its directory exists and is writable,
     * and nothing is there, unless {@code overwrite} allows replacing an existing regular file.
     *
     * @throws IllegalArgumentException saying what is in the way
     */
    public static void checkFile(Path file, boolean overwrite) {
        if (file.toString().isBlank()) {
            throw new IllegalArgumentException("the output file name is empty");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a file to write");
        }
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new IllegalArgumentException(file + " already exists; pass --overwrite to replace it");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is not a regular file; it is not replaced");
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        checkWritableDirectory(parent);
    }

    /**
     * Checks that the files {@code names} can be written into {@code dir}, which may not exist yet
     * (its nearest existing ancestor must then be a writable directory).
     */
    public static void checkFilesIn(Path dir, List<String> names, boolean overwrite) {
        if (dir.toString().isBlank()) {
            throw new IllegalArgumentException("the output directory name is empty");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is a file, not a directory to write into");
        }
        if (Files.isDirectory(dir)) {
            checkWritableDirectory(dir.toAbsolutePath());
            for (String name : names) {
                checkFile(dir.resolve(name), overwrite);
            }
        } else {
            checkWritableDirectory(nearestExisting(dir.toAbsolutePath()));
        }
    }

    /** Creates {@code dir} and its parents, saying why when it cannot. */
    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create directory " + dir + ": " + reason(e), e);
        }
    }

    /** Says in a few words why a file operation failed: "permission denied", "a file is in the way". */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof NotDirectoryException) {
            return "a file is in the way";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Path nearestExisting(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("cannot write " + path + ": no part of it exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("cannot write " + path + ": " + existing + " is a file");
        }
        return existing;
    }

    private static void checkWritableDirectory(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write into " + dir + ": no such directory");
        }
        // a real file is the only sure test: permissions, read-only mounts and /proc all say no here
        try {
            Files.delete(Files.createTempFile(dir, ".alexnet-probe-", ".tmp"));
        } catch (NoSuchFileException e) {
            // the directory is there, yet a file cannot be made in it: /proc, /sys and the like
            throw new IllegalArgumentException("cannot write into " + dir + ": it accepts no new files", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write into " + dir + ": " + reason(e), e);
        }
    }
}
