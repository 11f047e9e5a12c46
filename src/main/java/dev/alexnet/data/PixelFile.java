package dev.alexnet.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Images of a fixed size kept in a file mapped into memory instead of the Java heap: for a folder of pictures
 * larger than the heap. The operating system pages the file in and out; the heap holds none of it.
 *
 * <p>The file is made in the cache directory ({@code $ALEXNET_CACHE_DIR}, else the system's temporary directory)
 * and deleted as soon as it is mapped: the mapping stays valid while the images are in use, and nothing is left
 * behind, whatever way the program ends. It is mapped in segments of at most 1 GiB, a whole number of images
 * each. Writing an image and reading others may happen on different threads at once.
 */
public final class PixelFile {

    /** The environment variable naming the directory the file is made in. */
    public static final String DIR_VARIABLE = "ALEXNET_CACHE_DIR";

    private static final long SEGMENT_BYTES = 1L << 30;

    private final int imageBytes;
    private final int count;
    private final int perSegment;
    private final List<MappedByteBuffer> segments;

    private PixelFile(int imageBytes, int count, int perSegment, List<MappedByteBuffer> segments) {
        this.imageBytes = imageBytes;
        this.count = count;
        this.perSegment = perSegment;
        this.segments = segments;
    }

    /** Returns the directory the files are made in. */
    public static Path directory() {
        String dir = System.getenv(DIR_VARIABLE);
        return Path.of(dir != null && !dir.isBlank() ? dir : System.getProperty("java.io.tmpdir"));
    }

    /**
     * Makes a file for {@code count} images of {@code imageBytes} bytes each, zeroed.
     *
     * @throws DataException if the file cannot be made (no room, no directory)
     */
    public static PixelFile create(int count, int imageBytes) {
        if (imageBytes < 1 || imageBytes > SEGMENT_BYTES || count < 0) {
            throw new IllegalArgumentException("cannot hold " + count + " images of " + imageBytes + " bytes");
        }
        int perSegment = (int) Math.max(1, SEGMENT_BYTES / imageBytes);
        Path file = null;
        try {
            Path dir = Files.createDirectories(directory());
            long needed = (long) count * imageBytes;
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (needed > usable) {
                throw new DataException(String.format(java.util.Locale.ROOT, "%d pictures of %d bytes need %d MB in %s, "
                        + "which has %d MB free; set %s to a directory with room", count, imageBytes, needed >> 20, dir,
                        usable >> 20, DIR_VARIABLE));
            }
            file = Files.createTempFile(dir, "alexnet-pictures-", ".bin");
            List<MappedByteBuffer> segments = new ArrayList<>();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                for (long first = 0; first < count; first += perSegment) {
                    long images = Math.min(perSegment, count - first);
                    segments.add(channel.map(FileChannel.MapMode.READ_WRITE, first * imageBytes, images * imageBytes));
                }
            }
            return new PixelFile(imageBytes, count, perSegment, segments);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot keep " + count + " pictures of " + imageBytes + " bytes in a file in "
                    + directory() + " (" + e.getMessage() + "); set " + DIR_VARIABLE + " to a directory with room");
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file); // the mapping stays; the name goes
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    /** Returns how many images the file holds. */
    public int count() {
        return count;
    }

    /** Returns the file's first {@code n} images (the same file). */
    PixelFile first(int n) {
        return new PixelFile(imageBytes, Math.min(n, count), perSegment, segments);
    }

    /** Writes image {@code index} from {@code bytes}. */
    void write(int index, byte[] bytes) {
        try {
            slice(index).put(bytes, 0, imageBytes);
        } catch (InternalError e) {
            // the file's disk filled up after it was mapped: a fault on the page, reported as such
            throw new DataException("cannot write the pictures' file in " + directory() + " (" + e.getMessage()
                    + "); set " + DIR_VARIABLE + " to a directory with room");
        }
    }

    /** Copies image {@code index} into {@code out} at its position, advancing it. */
    void copy(int index, ByteBuffer out) {
        out.put(slice(index));
    }

    /** Copies image {@code index} into {@code out}. */
    void copy(int index, byte[] out) {
        slice(index).get(out, 0, imageBytes);
    }

    /** Moves image {@code from} to {@code to}, for compacting the file after pictures were left out. */
    void move(int from, int to) {
        if (from != to) {
            slice(to).put(slice(from));
        }
    }

    private ByteBuffer slice(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("image " + index + " of " + count);
        }
        ByteBuffer segment = segments.get(index / perSegment).duplicate();
        int offset = (index % perSegment) * imageBytes;
        segment.position(offset).limit(offset + imageBytes);
        return segment.slice();
    }
}
