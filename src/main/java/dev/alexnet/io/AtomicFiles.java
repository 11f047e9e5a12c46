package dev.alexnet.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Writes files so that a reader sees either the old file or the whole new one, never a mix: the
 * content goes to a temporary file beside the target, is forced to disk, and is renamed over the
 * target; then the directory entry is forced too.
 *
 * <p>A crash, a kill or a full disk at any moment leaves the previous file intact.
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Replaces {@code target} with what {@code content} writes. */
    public static void write(Path target, Content content) {
        write(target, content, UnaryOperator.identity());
    }

    /**
     * Replaces {@code target} with what {@code content} writes through {@code wrap}; tests wrap the
     * stream to fail midway like a full disk.
     */
    public static void write(Path target, Content content, UnaryOperator<OutputStream> wrap) {
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            // a new file of a unique name: never one that happens to be there already
            temporary = newTemporary(dir, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = wrap.apply(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20));
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage()
                    + " (the previous version, if any, is intact)", e);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    /**
     * Creates a new empty file {@code .NAME.<random>.tmp} in {@code dir}, with the permissions any new
     * file gets (unlike {@code Files.createTempFile}, which makes it private); a name already taken is
     * never reused, so no file there is ever truncated.
     */
    public static Path newTemporary(Path dir, String name) throws IOException {
        java.util.Random random = new java.util.Random();
        while (true) {
            Path candidate = dir.resolve("." + name + "." + Long.toHexString(random.nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable; some file systems cannot open a directory, which is harmless.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the data is on disk; only the directory entry's durability is up to the file system
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale temporary file is overwritten by the next write
        }
    }
}
