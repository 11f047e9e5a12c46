package dev.alexnet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class AtomicFilesTest {

    @TempDir
    Path dir;

    /** A stream that fails like a full disk once {@code limit} bytes have been written. */
    public static OutputStream diskFullAfter(OutputStream out, long limit) {
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > limit) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    @Test
    void replacesTheFileWhole() {
        Path file = dir.resolve("state.txt");
        AtomicFiles.writeString(file, "old");
        AtomicFiles.writeString(file, "new content");

        assertEquals("new content", read(file));
        assertEquals(1, count(dir), "no temporary file left");
    }

    @Test
    void aWriterFailingMidwayLeavesTheOldFileAndNoTemporary() {
        Path file = dir.resolve("state.txt");
        AtomicFiles.writeString(file, "old");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file,
                out -> out.write(new byte[5_000_000]), out -> diskFullAfter(out, 1_000_000)));

        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("intact"), e.getMessage());
        assertEquals("old", read(file));
        assertEquals(1, count(dir), "the temporary file is removed");
    }

    @Test
    void aWriterThrowingLeavesTheOldFile() {
        Path file = dir.resolve("state.txt");
        AtomicFiles.writeString(file, "old");

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IllegalStateException("writer died");
        }));

        assertEquals("old", read(file));
        assertEquals(1, count(dir));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
