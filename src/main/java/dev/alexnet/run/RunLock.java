package dev.alexnet.run;

import dev.alexnet.io.Outputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A run directory belongs to one process: an exclusive lock on its {@code .lock} file, held for the
 * life of the run and released by the operating system when the process dies, however it dies.
 * The file holds the owner's process id, so that a second process can say who has the run.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file's name in every run directory. */
    public static final String FILE = ".lock";

    // Runs this JVM holds. Asking the OS again from the same process must not open the lock file: on
    // Linux, closing any descriptor of a file drops every lock the process holds on it.
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;

    private RunLock(FileChannel channel, FileLock lock, Path key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /**
     * Takes the run in {@code dir} for this process.
     *
     * @throws IllegalStateException at once if another process (or another run in this one) has it
     */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        Path key = file.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            throw new IllegalStateException(dir + " is in use by this process (process "
                    + ProcessHandle.current().pid() + ", another run of this run directory); wait for it to end");
        }
        try {
            return lock(dir, file, key);
        } catch (RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static RunLock lock(Path dir, Path file, Path key) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot lock " + dir + ": " + Outputs.reason(e), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held in this JVM outside this class: treated as another holder
            }
            if (lock == null) {
                String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException(dir + " is in use by " + (owner.isEmpty() ? "another process"
                        : "process " + owner) + " (a train or --resume of this run); wait for it to end");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new RunLock(channel, lock, key);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException("cannot lock " + dir + ": " + Outputs.reason(e), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            HELD.remove(key);
        }
    }
}
