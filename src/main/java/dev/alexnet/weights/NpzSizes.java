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
        checkMembers(file, limits, network);
    }

    /**
     * Reads the members as the decoder will (in order, by their local headers, which need not agree
     * with the central directory): each must be a tensor of the network, and neither its .npy header's
     * shape nor its data may hold more than that tensor. Reading stops at the first that does, so a
     * member padded with gigabytes is never inflated beyond its allowance.
     */
    private static void checkMembers(Path file, Map<String, Long> limits, String network) {
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Long limit = limits.get(entry.getName());
                if (limit == null) {
                    throw new IllegalArgumentException(file + ": unexpected member " + entry.getName() + " (" + network
                            + " has no such tensor); nothing was loaded");
                }
                long declared = declaredBytes(zip);
                if (declared < 0 || declared > limit) {
                    throw new IllegalArgumentException(file + ": member " + entry.getName() + " declares "
                            + (declared < 0 ? "an unreadable .npy header" : declared + " bytes of data") + ", " + network
                            + " needs at most " + limit + "; nothing was loaded");
                }
                long read = 0;
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = zip.read(buffer)) > 0; ) {
                    read += n;
                    if (read > limit) {
                        throw new IllegalArgumentException(file + ": member " + entry.getName() + " holds more than the "
                                + limit + " bytes " + network + " needs; nothing was loaded");
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": corrupt npz file (" + e.getMessage() + ")", e);
        }
    }

    /** Returns the bytes of data a .npy header declares (its shape times its item size), or -1. */
    private static long declaredBytes(java.io.InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N' || magic[6] < 1 || magic[6] > 3) {
            return -1;
        }
        byte[] size = in.readNBytes(magic[6] == 1 ? 2 : 4);
        long length = 0;
        for (int i = size.length - 1; i >= 0; i--) {
            length = (length << 8) | (size[i] & 0xff);
        }
        if (length > HEADER_ALLOWANCE) {
            return -1;
        }
        String header = new String(in.readNBytes((int) length), java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher shape = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        java.util.regex.Matcher descr = java.util.regex.Pattern.compile("'descr':\\s*'[<>|=]?[a-zA-Z](\\d+)'").matcher(header);
        if (!shape.find() || !descr.find()) {
            return -1;
        }
        java.math.BigInteger bytes = new java.math.BigInteger(descr.group(1));
        for (String dim : shape.group(1).split(",")) {
            if (!dim.isBlank()) {
                if (!dim.strip().matches("\\d+")) {
                    return -1;
                }
                bytes = bytes.multiply(new java.math.BigInteger(dim.strip()));
            }
        }
        return bytes.bitLength() > 62 ? Long.MAX_VALUE : bytes.longValue();
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
