package dev.alexnet.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The picture files an input names, listed on the driver: a file, a directory (searched recursively), or a glob;
 * on this machine's file system through Java's own listing, elsewhere (HDFS, S3...) through Hadoop's. Names
 * starting with {@code .} or {@code _} are left out, as Spark's file sources leave them. Every file is named by
 * an absolute URI ({@code file:/...} here), so it means the same file on every executor whatever its working
 * directory. Only the names are held: about a hundred bytes a file.
 */
final class PictureListing {

    private PictureListing() {}

    /** Returns the files {@code input} names, as absolute URIs. */
    static List<String> list(String input, Configuration hadoop) {
        try {
            return isLocal(input) ? listLocal(localPath(input)) : listHadoop(input, hadoop);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("--input " + input + ": cannot be listed (" + e.getMessage() + ")");
        }
    }

    /**
     * Refuses, before Spark starts, a local input that names nothing: a missing path, or a glob whose directory is
     * missing or that matches nothing (another file system's inputs Spark checks itself).
     *
     * @throws IllegalArgumentException saying which, in one line
     */
    static void check(String input) {
        if (!isLocal(input)) {
            return;
        }
        String local = localPath(input);
        if (!isGlob(local)) {
            if (!Files.exists(Path.of(local))) {
                throw new IllegalArgumentException("--input " + input + ": no such file or directory");
            }
            return;
        }
        Glob glob = Glob.of(local);
        if (!Files.isDirectory(glob.base())) {
            throw new IllegalArgumentException("--input " + input + ": no directory " + glob.base());
        }
        try (Stream<Path> matches = glob.matches()) {
            if (matches.findAny().isEmpty()) {
                throw new IllegalArgumentException("--input " + input + ": matches nothing");
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("--input " + input + ": cannot list " + glob.base() + " (" + e.getMessage() + ")");
        }
    }

    /** Whether an input names this machine's files: no scheme, or {@code file:}. */
    static boolean isLocal(String input) {
        return !input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || input.startsWith("file:");
    }

    /** The path a local input names. */
    static String localPath(String input) {
        return input.startsWith("file:") ? java.net.URI.create(input).getPath() : input;
    }

    private static boolean isGlob(String path) {
        return path.matches(".*[*?\\[{].*");
    }

    private static boolean hidden(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return name.startsWith(".") || name.startsWith("_");
    }

    /**
     * A glob on this machine: the directory before its first component with a glob character, searched as deep as
     * the glob goes, for the paths that match it whole.
     */
    private record Glob(Path base, int depth, PathMatcher matcher) {
        static Glob of(String pattern) {
            Path path = Path.of(pattern).toAbsolutePath().normalize();
            Path base = path.getRoot();
            int depth = 0;
            for (Path part : path) {
                if (depth == 0 && !isGlob(part.toString())) {
                    base = base.resolve(part);
                } else {
                    depth++;
                }
            }
            return new Glob(base, depth, FileSystems.getDefault().getPathMatcher("glob:" + path));
        }

        Stream<Path> matches() throws IOException {
            return Files.walk(base, depth).filter(matcher::matches);
        }
    }

    private static List<String> listLocal(String input) throws IOException {
        List<String> files = new ArrayList<>();
        if (!isGlob(input)) {
            add(Path.of(input).toAbsolutePath().normalize(), files);
            return files;
        }
        Glob glob = Glob.of(input);
        if (!Files.isDirectory(glob.base())) {
            return files;
        }
        try (Stream<Path> matches = glob.matches()) {
            for (Path match : (Iterable<Path>) matches.sorted()::iterator) {
                add(match, files);
            }
        }
        return files;
    }

    /** Adds a file, or the files under a directory (not following links to directories). */
    private static void add(Path path, List<String> files) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!hidden(path) && !Files.isDirectory(path)) {
                files.add(uri(path));
            }
            return;
        }
        try (Stream<Path> entries = Files.walk(path)) {
            entries.filter(entry -> !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(entry))
                    .filter(entry -> !hiddenBelow(path, entry))
                    .forEach(entry -> files.add(uri(entry)));
        }
    }

    /** Whether a name between {@code root} (excluded) and {@code entry} (included) is hidden. */
    private static boolean hiddenBelow(Path root, Path entry) {
        for (Path part : root.relativize(entry)) {
            if (hidden(part)) {
                return true;
            }
        }
        return false;
    }

    private static String uri(Path path) {
        return new org.apache.hadoop.fs.Path(path.toUri()).toString();
    }

    private static List<String> listHadoop(String input, Configuration hadoop) throws IOException {
        org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(input);
        FileSystem fs = pattern.getFileSystem(hadoop);
        FileStatus[] matches = fs.globStatus(pattern);
        List<String> files = new ArrayList<>();
        for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
            addHadoop(fs, match, files);
        }
        return files;
    }

    private static void addHadoop(FileSystem fs, FileStatus status, List<String> files) throws IOException {
        String name = status.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
            return;
        }
        if (!status.isDirectory()) {
            files.add(status.getPath().toString());
            return;
        }
        // plain statuses, one directory at a time: no block locations, nothing loaded per file
        RemoteIterator<FileStatus> entries = fs.listStatusIterator(status.getPath());
        while (entries.hasNext()) {
            addHadoop(fs, entries.next(), files);
        }
    }
}
