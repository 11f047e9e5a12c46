package dev.alexnet.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A folder of pictures, one sub-folder per class, as torchvision's {@code ImageFolder} reads it:
 * {@code PATH/<class>/**.png|jpg|jpeg|bmp|gif}, or {@code PATH/train/<class>/…} and {@code PATH/val/<class>/…}
 * when the folder is split already (else a seeded share of each class is held out for validation).
 *
 * <p>Class names are the sub-folders' names, sorted, so label {@code i} is the {@code i}-th name, as torchvision
 * numbers them. Sub-folders and files whose names start with a dot are left out; files that are not pictures
 * (by extension) are skipped and counted; directory links are not followed (so no loop), file links are. Every
 * picture is read once, on all cores, into memory as bytes: grey (one channel) or RGB (three), with the
 * channels asked for or, by default, RGB when any picture is in colour. Pictures all of one size no larger than
 * the input are kept as they are and resized with each batch, exactly as Fashion-MNIST's images are; otherwise
 * each is resized to the input size when read (area averaging when shrinking, bilinear when enlarging) and
 * rounded to 8 bits, as torchvision's {@code Resize} does to a PIL picture. Scaling is to [0, 1] (x / 255), no
 * mean or deviation, as in the chapter.
 *
 * <p>A picture that cannot be read (corrupt, truncated, too large, unreadable) is skipped and reported by its
 * path in {@link #notices()}; a class left without pictures, fewer than two classes, or a split that would not
 * fit in memory is refused with one line before any training.
 */
public final class ImageFolder extends DataModule {

    /** The picture files read, by extension (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** The sub-folder names of a folder that is split already. */
    public static final String TRAIN_DIR = "train";

    /** See {@link #TRAIN_DIR}. */
    public static final String VAL_DIR = "val";

    /**
     * The environment variable that says where the pictures are kept: {@code auto} (in memory when they fit in
     * the heap, else in a file), {@code memory} or {@code file} (see {@link PixelFile}).
     */
    public static final String CACHE_VARIABLE = "ALEXNET_PICTURE_CACHE";

    /** The most bytes one split holds in memory (a Java array's limit). */
    static final long MAX_SPLIT_BYTES = Integer.MAX_VALUE - 64;

    // the split into training and validation pictures, and their order, are fixed by the folder alone
    private static final long ORDER_SEED = 42;

    /** The most classes a folder may hold: as many as a network may score. */
    public static final int MAX_CLASSES = dev.alexnet.model.ModelConfig.MAX_CLASSES;

    /** How many unreadable pictures are named one by one before the rest are counted. */
    private static final int NAMED_FAILURES = 10;

    private final List<String> notices;
    private final List<Path> trainFiles;
    private final List<Path> validationFiles;

    private ImageFolder(DataConfig config, Read train, Read validation, List<String> classNames,
            List<String> notices) {
        super(config, train.split(), validation.split(), List.of(), classNames);
        this.notices = List.copyOf(notices);
        this.trainFiles = train.files();
        this.validationFiles = validation.files();
    }

    /** A split as read, with the file of each of its examples. */
    private record Read(Split split, List<Path> files) {}

    /** A picture and its class. */
    record Entry(Path file, int label) {}

    /**
     * What a folder holds: its classes and the pictures of each split, in a fixed shuffled order.
     *
     * @param classNames the class names, sorted
     * @param train the training pictures
     * @param validation the validation pictures
     * @param notPictures how many files were skipped as not pictures
     * @param presplit whether the folder has {@code train} and {@code val} sub-folders
     */
    record Listing(List<String> classNames, List<Entry> train, List<Entry> validation, int notPictures,
            boolean presplit) {}

    /** Reads the folder {@code config} names, both splits. */
    public static ImageFolder load(DataConfig config) {
        return load(config, true);
    }

    /** Reads only the validation pictures of the folder {@code config} names, for scoring a trained model. */
    public static ImageFolder loadValidation(DataConfig config) {
        return load(config, false);
    }

    private static ImageFolder load(DataConfig given, boolean withTraining) {
        DataConfig config = given.withFolder(given.folder().toAbsolutePath().normalize());
        Listing listing = list(config.folder(), config.valFractionOrDefault());
        List<Entry> train = withTraining ? limited(listing.train(), config.limit()) : List.of();
        List<Entry> validation = limited(listing.validation(), config.valLimit());
        List<String> notices = new ArrayList<>();
        if (listing.notPictures() > 0) {
            notices.add(config.folder() + ": skipped " + listing.notPictures() + " file(s) that are not pictures ("
                    + String.join(", ", new TreeSet<>(EXTENSIONS)) + ")");
        }
        List<Entry> all = new ArrayList<>(train);
        all.addAll(validation);
        Headers headers = headers(all, notices);
        int channels = config.channels() != null ? config.channels() : headers.anyColour() ? 3 : 1;
        int side = headers.commonSide(config.resize());
        // the headers were read for the training pictures, then the validation ones
        PictureDecoder.Header[] found = headers.headers();
        Read trainRead = read("train", train, java.util.Arrays.copyOfRange(found, 0, train.size()), channels, side,
                config.resize(), notices);
        Read validationRead = read("validation", validation, java.util.Arrays.copyOfRange(found, train.size(),
                found.length), channels, side, config.resize(), notices);
        requireEveryClass(listing, trainRead.split(), withTraining, config.folder());
        return new ImageFolder(config, trainRead, validationRead, listing.classNames(), notices);
    }

    /** Returns what was skipped while reading (files that are not pictures, pictures that cannot be read). */
    @Override
    public List<String> notices() {
        return notices;
    }

    @Override
    public ImageFolder withBatchSize(int batchSize) {
        return new ImageFolder(config().withBatchSize(batchSize), new Read(train(), trainFiles),
                new Read(validation(), validationFiles), classNames(), notices);
    }

    /** Returns the file of each training example, index for index. */
    public List<Path> trainFiles() {
        return trainFiles;
    }

    /** Returns the file of each validation example, index for index. */
    public List<Path> validationFiles() {
        return validationFiles;
    }

    private static List<Entry> limited(List<Entry> entries, Integer limit) {
        return limit == null || limit >= entries.size() ? entries : entries.subList(0, limit);
    }

    // Listing.

    /**
     * Lists the folder's classes and pictures, splitting each class by {@code valFraction} when the folder has no
     * {@code train}/{@code val} sub-folders.
     *
     * @throws DataException for a path that is not a folder, fewer than two classes, or a class without pictures
     */
    static Listing list(Path folder, double valFraction) {
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + (Files.exists(folder) ? ": not a folder" : ": no such folder"));
        }
        Path trainDir = folder.resolve(TRAIN_DIR);
        Path valDir = folder.resolve(VAL_DIR);
        int[] notPictures = {0};
        if (Files.isDirectory(trainDir) && Files.isDirectory(valDir)) {
            List<String> classes = classNames(trainDir);
            List<String> valClasses = classNames(valDir);
            if (!classes.equals(valClasses)) {
                throw new DataException(folder + ": " + TRAIN_DIR + "/ and " + VAL_DIR + "/ hold different classes ("
                        + difference(TRAIN_DIR + "/", classes, VAL_DIR + "/", valClasses) + ")");
            }
            requireClasses(trainDir, classes);
            List<Entry> train = new ArrayList<>();
            List<Entry> validation = new ArrayList<>();
            for (int label = 0; label < classes.size(); label++) {
                train.addAll(pictures(trainDir.resolve(classes.get(label)), label, notPictures));
                validation.addAll(pictures(valDir.resolve(classes.get(label)), label, notPictures));
            }
            return new Listing(classes, shuffled(train), shuffled(validation), notPictures[0], true);
        }
        List<String> classes = classNames(folder);
        requireClasses(folder, classes);
        List<Entry> train = new ArrayList<>();
        List<Entry> validation = new ArrayList<>();
        Random random = new Random(ORDER_SEED);
        for (int label = 0; label < classes.size(); label++) {
            List<Entry> pictures = new ArrayList<>(pictures(folder.resolve(classes.get(label)), label, notPictures));
            if (pictures.size() < 2) {
                throw new DataException(folder.resolve(classes.get(label)) + ": one picture, too few to hold one "
                        + "out for validation (give the folder " + TRAIN_DIR + "/ and " + VAL_DIR + "/ sub-folders)");
            }
            Collections.shuffle(pictures, random);
            int held = (int) Math.max(1, Math.min(pictures.size() - 1, Math.round(pictures.size() * valFraction)));
            validation.addAll(pictures.subList(0, held));
            train.addAll(pictures.subList(held, pictures.size()));
        }
        return new Listing(classes, shuffled(train), shuffled(validation), notPictures[0], false);
    }

    /** Says which class names one list has that the other lacks, calling them {@code nameA} and {@code nameB}. */
    public static String difference(String nameA, List<String> a, String nameB, List<String> b) {
        List<String> onlyA = a.stream().filter(name -> !b.contains(name)).toList();
        List<String> onlyB = b.stream().filter(name -> !a.contains(name)).toList();
        List<String> parts = new ArrayList<>();
        if (!onlyA.isEmpty()) {
            parts.add("only in " + nameA + ": " + String.join(", ", onlyA));
        }
        if (!onlyB.isEmpty()) {
            parts.add("only in " + nameB + ": " + String.join(", ", onlyB));
        }
        return parts.isEmpty() ? "the same names in another order" : String.join("; ", parts);
    }

    private static List<Entry> shuffled(List<Entry> entries) {
        List<Entry> copy = new ArrayList<>(entries);
        Collections.shuffle(copy, new Random(ORDER_SEED + 1));
        return copy;
    }

    private static void requireClasses(Path dir, List<String> classes) {
        if (classes.size() > MAX_CLASSES) {
            throw new DataException(dir + ": " + classes.size() + " class folders; at most " + MAX_CLASSES
                    + " are read");
        }
        if (classes.isEmpty()) {
            throw new DataException(dir + ": no class folders (expected one sub-folder of pictures per class)");
        }
        if (classes.size() < 2) {
            throw new DataException(dir + ": one class folder (" + classes.get(0) + "); a classifier needs at least two");
        }
    }

    /** Returns the names of the sub-folders of {@code dir} that are classes: not hidden, sorted. */
    private static List<String> classNames(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(entry)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        Collections.sort(names);
        return names;
    }

    /** Returns the pictures under a class folder, sorted by path, counting the files that are not pictures. */
    private static List<Entry> pictures(Path classDir, int label, int[] notPictures) {
        List<Entry> pictures = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classDir)) {
            files.filter(file -> !isHidden(classDir, file) && Files.isRegularFile(file)).sorted().forEach(file -> {
                if (isPicture(file)) {
                    pictures.add(new Entry(file, label));
                } else {
                    notPictures[0]++;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(classDir + ": cannot list (" + e.getMessage() + ")");
        }
        if (pictures.isEmpty()) {
            throw new DataException(classDir + ": no pictures (" + String.join(", ", new TreeSet<>(EXTENSIONS))
                    + ") in this class folder");
        }
        return pictures;
    }

    private static boolean isHidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPicture(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    // Reading.

    /** The headers of the pictures, index for index; null where a picture cannot be read. */
    private record Headers(PictureDecoder.Header[] headers) {

        boolean anyColour() {
            for (PictureDecoder.Header header : headers) {
                if (header != null && !header.grey()) {
                    return true;
                }
            }
            return false;
        }

        /** Returns the side pictures are kept at: their own when all share one no larger than the input, else 0. */
        int commonSide(int resize) {
            int width = -1;
            int height = -1;
            for (PictureDecoder.Header header : headers) {
                if (header == null) {
                    continue;
                }
                if (width < 0) {
                    width = header.width();
                    height = header.height();
                } else if (width != header.width() || height != header.height()) {
                    return 0;
                }
            }
            return width > 0 && width == height && width <= resize ? width : 0;
        }
    }

    private static Headers headers(List<Entry> entries, List<String> notices) {
        PictureDecoder.Header[] headers = new PictureDecoder.Header[entries.size()];
        String[] failures = new String[entries.size()];
        parallel(entries.size(), i -> {
            try {
                headers[i] = PictureDecoder.header(entries.get(i).file());
            } catch (IllegalArgumentException e) {
                failures[i] = e.getMessage();
            }
        });
        report(failures, notices);
        return new Headers(headers);
    }

    /**
     * Reads the pictures into one split at {@code side}×{@code side} (0: at {@code resize}, resized when read),
     * skipping those whose header could not be read or whose pixels cannot be decoded.
     */
    private static Read read(String name, List<Entry> entries, PictureDecoder.Header[] headers, int channels, int side,
            int resize,
            List<String> notices) {
        int stored = side > 0 ? side : resize;
        long imageBytes = (long) channels * stored * stored;
        long needed = imageBytes * entries.size();
        Runtime runtime = Runtime.getRuntime();
        long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        String mode = cacheMode();
        boolean inFile = mode.equals("file") || (mode.equals("auto")
                && (needed > free * 8 / 10 || needed > MAX_SPLIT_BYTES));
        if (!inFile && needed > Math.min(MAX_SPLIT_BYTES, free * 8 / 10)) {
            throw new DataException(String.format(Locale.ROOT, "the %s split's %,d pictures take %d MB as %dx%dx%d "
                    + "bytes each, more than the %d MB this JVM has free and %s=memory keeps them in memory: give it "
                    + "more (ALEXNET_JAVA_OPTS=-Xmx%dg) or let them go to a file (%s=auto)", name, entries.size(),
                    needed >> 20, channels, stored, stored, free >> 20, CACHE_VARIABLE, Math.max(2, (needed * 2 >> 30) + 1),
                    CACHE_VARIABLE));
        }
        byte[] pixels = inFile ? null : new byte[(int) needed];
        PixelFile file = inFile ? PixelFile.create(entries.size(), (int) imageBytes) : null;
        boolean[] read = new boolean[entries.size()];
        String[] failures = new String[entries.size()];
        int decodeSide = decodeSide(stored);
        parallel(entries.size(), i -> {
            if (headers[i] == null) {
                return; // reported with the headers
            }
            try {
                BufferedImage picture = PictureDecoder.decode(entries.get(i).file(), decodeSide);
                byte[] bytes = PictureDecoder.planes(picture, channels);
                if (!(side > 0 && picture.getWidth() == side && picture.getHeight() == side)) {
                    bytes = resized(bytes, channels, picture.getHeight(), picture.getWidth(), stored);
                }
                if (file != null) {
                    file.write(i, bytes);
                } else {
                    System.arraycopy(bytes, 0, pixels, (int) (i * imageBytes), bytes.length);
                }
                read[i] = true;
            } catch (IllegalArgumentException e) {
                failures[i] = e.getMessage();
            } catch (RuntimeException | OutOfMemoryError e) {
                // whatever one picture does to the decoder, it is that picture's failure, never the whole load's
                failures[i] = entries.get(i).file() + ": cannot be decoded (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + ")";
            }
        });
        report(failures, notices);
        int kept = 0;
        for (boolean ok : read) {
            kept += ok ? 1 : 0;
        }
        int[] labels = new int[kept];
        List<Path> files = new ArrayList<>(kept);
        byte[] keptPixels = file != null ? null : kept == entries.size() ? pixels : new byte[(int) (imageBytes * kept)];
        for (int i = 0, k = 0; i < entries.size(); i++) {
            if (!read[i]) {
                continue;
            }
            if (file != null) {
                file.move(i, k); // k <= i: moving forward in order overwrites only what was moved already
            } else if (keptPixels != pixels) {
                System.arraycopy(pixels, (int) (i * imageBytes), keptPixels, (int) (k * imageBytes), (int) imageBytes);
            }
            labels[k] = entries.get(i).label();
            files.add(entries.get(i).file());
            k++;
        }
        IdxImages images = file != null ? IdxImages.inFile(kept, stored, stored, channels, file.first(kept))
                : new IdxImages(kept, stored, stored, keptPixels, channels);
        return new Read(new Split(name, images, labels), List.copyOf(files));
    }

    /** Returns where pictures are kept: auto, memory or file, from {@link #CACHE_VARIABLE} (or a system property). */
    static String cacheMode() {
        String value = System.getProperty("alexnet.pictureCache", System.getenv(CACHE_VARIABLE));
        if (value == null || value.isBlank()) {
            return "auto";
        }
        String mode = value.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("memory") && !mode.equals("file")) {
            throw new DataException(CACHE_VARIABLE + "=" + value + " is not auto, memory or file");
        }
        return mode;
    }

    /** Returns the longer side a picture is decoded to (subsampled when larger) for an input of {@code side}. */
    public static int decodeSide(int side) {
        return Math.max(2 * side, 64);
    }

    /**
     * A picture's bytes as the network's input is made from them.
     *
     * @param pixels channel-major planes of {@code side}×{@code side} bytes
     * @param side their side: the picture's own, or the input's
     */
    public record PictureBytes(byte[] pixels, int side) {}

    /**
     * Returns one picture's bytes as a folder's pictures are read: its own when it is square and no larger than the
     * input, else resized to the input when read (the rule {@link ImageFolder} applies to pictures of several
     * sizes).
     */
    public static PictureBytes pictureBytes(BufferedImage picture, int channels, int input) {
        byte[] bytes = PictureDecoder.planes(picture, channels);
        if (picture.getWidth() == picture.getHeight() && picture.getWidth() <= input) {
            return new PictureBytes(bytes, picture.getWidth());
        }
        return new PictureBytes(resized(bytes, channels, picture.getHeight(), picture.getWidth(), input), input);
    }

    /**
     * Resizes CHW bytes to {@code side}×{@code side} on the engine (area averaging when shrinking both sides,
     * bilinear otherwise), rounded to 8 bits.
     */
    private static byte[] resized(byte[] chw, int channels, int height, int width, int side) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray hwc = manager.create(chw, new Shape(channels, height, width)).toType(DataType.UINT8, false)
                    .toType(DataType.FLOAT32, false).transpose(1, 2, 0);
            Image.Interpolation interpolation = width > side && height > side
                    ? Image.Interpolation.AREA : Image.Interpolation.BILINEAR;
            return NDImageUtils.resize(hwc, side, side, interpolation)
                    .round().clip(0f, 255f).toType(DataType.UINT8, false).transpose(2, 0, 1).toByteArray();
        }
    }

    private static void report(String[] failures, List<String> notices) {
        int count = 0;
        for (String failure : failures) {
            if (failure == null) {
                continue;
            }
            if (count < NAMED_FAILURES) {
                notices.add("skipped " + failure);
            }
            count++;
        }
        if (count > NAMED_FAILURES) {
            notices.add("skipped " + (count - NAMED_FAILURES) + " more picture(s) that cannot be read");
        }
    }

    /** Refuses a training split that lacks a class: every class folder must hold a readable picture. */
    private static void requireEveryClass(Listing listing, Split train, boolean withTraining, Path folder) {
        if (!withTraining) {
            return;
        }
        boolean[] seen = new boolean[listing.classNames().size()];
        for (int i = 0; i < train.size(); i++) {
            seen[train.label(i)] = true;
        }
        for (int label = 0; label < seen.length; label++) {
            if (!seen[label]) {
                throw new DataException(folder + ": no readable training picture in class "
                        + listing.classNames().get(label));
            }
        }
    }

    /** Runs {@code body} for 0..n-1 on all cores. */
    private static void parallel(int n, java.util.function.IntConsumer body) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        } finally {
            pool.shutdown();
        }
    }
}
