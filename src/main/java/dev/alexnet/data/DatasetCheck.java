package dev.alexnet.data;

import dev.alexnet.io.Digests;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Fingerprints the four Fashion-MNIST files by the SHA-256 of their decompressed content and
 * compares them with the official release's; {@link FashionMnist} digests each file while it reads it.
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

    /** Returns the fingerprint of file {@code name}, read at {@code path}, whose content went through {@code digest}. */
    static FileCheck of(String name, Path path, MessageDigest digest) {
        String hex = Digests.hex(digest);
        return new FileCheck(name, path, hex, hex.equals(OFFICIAL_SHA256.get(name)));
    }
}
