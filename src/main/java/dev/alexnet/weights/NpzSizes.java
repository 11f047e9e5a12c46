package dev.alexnet.weights;

import dev.alexnet.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks an NPZ file's members against a network before anything is inflated: the zip's central
 * directory declares each member's size, so a member larger than its tensor can be (a bomb, or
 * another network's weights) is refused without reading it.
 */
final class NpzSizes {

    /** Room for a member's .npy header beyond its data: NumPy pads headers to 64 bytes, at most a few KiB. */
    static final long HEADER_ALLOWANCE = 1 << 16;

    private NpzSizes() {}

    /**
     * Refuses {@code file}, when it is an NPZ, if a member declares more bytes than the tensor of that
     * name in {@code expected} holds (plus a header), names no tensor of the network, or declares no size.
     */
    static void check(Path file, ModelConfig config, List<TorchNames.Entry> expected) {
        if (!isZip(file)) {
            return;
        }
        Map<String, Long> limits = new HashMap<>();
        for (TorchNames.Entry entry : expected) {
            // the step counter of a batch norm is an int64 scalar
            long bytes = entry.shape().size() * Math.max(entry.dataType().getNumOfBytes(), 8);
            limits.put(entry.name() + ".npy", bytes + HEADER_ALLOWANCE);
        }
        String network = config.name() + " at " + config.inputSize() + "x" + config.inputSize();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Long limit = limits.get(entry.getName());
                if (limit == null) {
                    throw new IllegalArgumentException(file + ": unexpected member " + entry.getName() + " (" + network
                            + " has no such tensor); nothing was loaded");
                }
                if (entry.getSize() < 0) {
                    throw new IllegalArgumentException(file + ": member " + entry.getName()
                            + " does not declare its size; nothing was loaded");
                }
                if (entry.getSize() > limit) {
                    throw new IllegalArgumentException(file + ": member " + entry.getName() + " declares "
                            + entry.getSize() + " bytes, " + network + " needs at most " + limit
                            + "; nothing was loaded");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": corrupt npz file (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isZip(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(2);
            return start.length == 2 && start[0] == 'P' && start[1] == 'K';
        } catch (IOException e) {
            return false; // the reader says why
        }
    }
}
