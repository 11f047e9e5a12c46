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
        boolean local = !input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || input.startsWith("file:");
        try {
            return local ? listLocal(input.startsWith("file:") ? java.net.URI.create(input).getPath() : input)
                    : listHadoop(input, hadoop);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("--input " + input + ": cannot be listed (" + e.getMessage() + ")");
        }
    }

    private static boolean hidden(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return name.startsWith(".") || name.startsWith("_");
    }

    private static List<String> listLocal(String input) throws IOException {
        Path path = Path.of(input).toAbsolutePath().normalize();
        List<String> files = new ArrayList<>();
        if (!input.matches(".*[*?\\[{].*")) {
            add(path, files);
            return files;
        }
        // the directories before the first component with a glob character are searched, as deep as the glob goes
        Path base = path.getRoot();
        int depth = 0;
        for (Path part : path) {
            if (depth == 0 && !part.toString().matches(".*[*?\\[{].*")) {
                base = base.resolve(part);
            } else {
                depth++;
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path);
        if (!Files.isDirectory(base)) {
            return files;
        }
        try (Stream<Path> matches = Files.walk(base, depth)) {
            for (Path match : (Iterable<Path>) matches.filter(matcher::matches).sorted()::iterator) {
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
