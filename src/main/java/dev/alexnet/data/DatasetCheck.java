package dev.alexnet.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Fingerprints the four Fashion-MNIST files by the SHA-256 of their decompressed content and
 * compares them with the official release's.
 *
 * <p>The pinned digests are of the decompressed files of Zalando's release whose gzip archives have
 * the published MD5 sums (train-images 8d4fb7e6…, train-labels 25c81989…, t10k-images bef4ecab…,
 * t10k-labels bb300cfd…); Debian's package recompresses them, so only the decompressed content
 * can be compared. Other projects pin the same values.
 */
public final class DatasetCheck {

    /** Official SHA-256 of each decompressed file. */
    public static final Map<String, String> OFFICIAL_SHA256 = Map.of(
            FashionMnist.TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            FashionMnist.TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            FashionMnist.TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            FashionMnist.TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /**
     * One file's fingerprint.
     *
     * @param name the file's name without {@code .gz}
     * @param path the file read
     * @param sha256 SHA-256 of its decompressed content
     * @param official whether that is the official release's
     */
    public record FileCheck(String name, Path path, String sha256, boolean official) {}

    private DatasetCheck() {}

    /** Fingerprints the four files in {@code dir} (found as {@link FashionMnist#locate(Path)} does). */
    public static List<FileCheck> check(Path dir) {
        List<FileCheck> checks = new ArrayList<>();
        for (String name : List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS,
                FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS)) {
            Path file = FashionMnist.find(dir, name);
            if (file == null) {
                throw new DataException(dir.resolve(name) + "[.gz]: file not found");
            }
            String digest = sha256(file);
            checks.add(new FileCheck(name, file, digest, digest.equals(OFFICIAL_SHA256.get(name))));
        }
        return checks;
    }

    /** Returns the SHA-256 of a file's content, decompressed first if it is gzip. */
    static String sha256(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream content = new DigestInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, digest)) {
                content.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
