package dev.alexnet.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where a model comes from: this program's version and commit, and the engine it ran on.
 *
 * @param projectVersion the version in the jar's manifest ("development" when run from classes)
 * @param gitCommit the commit the program was built from, "+dirty" if the tree had changes, or
 *     {@code null} when unknown
 * @param djlVersion DJL's version
 * @param engine the engine's name
 * @param engineVersion the engine's version (PyTorch's)
 * @param device the device computed on
 * @param threads the engine's CPU threads
 * @param javaVersion the JVM's version
 */
public record Provenance(String projectVersion, String gitCommit, String djlVersion, String engine,
        String engineVersion, String device, int threads, String javaVersion) {

    /** Collects the provenance of this process computing on {@code device}. */
    public static Provenance collect(Device device) {
        String version = Provenance.class.getPackage().getImplementationVersion();
        Engine engine = Engine.getInstance();
        return new Provenance(version == null ? "development" : version, findGitCommit(), Engine.getDjlVersion(),
                engine.getEngineName(), engine.getVersion(), device.toString(), engineThreads(),
                System.getProperty("java.version"));
    }

    private static int engineThreads() {
        return dev.alexnet.train.Compute.threads();
    }

    /** Asks git for the commit of the checkout this program was built in, if it was built in one. */
    private static String findGitCommit() {
        try {
            Path code = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/alexnet.jar or target/classes: the checkout is two levels up
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root == null || !Files.isDirectory(root.resolve(".git"))) {
                return null;
            }
            String commit = git(root, "rev-parse", "HEAD");
            if (commit == null || commit.isBlank()) {
                return null;
            }
            String status = git(root, "status", "--porcelain", "--untracked-files=no");
            return status == null || status.isBlank() ? commit : commit + "+dirty";
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static String git(Path root, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = root.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
